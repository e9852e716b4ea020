using Duplicity.Repository;
using Duplicity.Backends;
using Duplicity.Backends.Swift;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Swift;

/// <summary>Backups stored in Swift by us restore with the real duplicity (swift backend, Keystone v3), and the reverse.</summary>
[Category("Server")]
[TestFixture, NonParallelizable]
public class SwiftDuplicityInteropTests
{
    private SwiftTestServers _servers = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        ExternalTool.Require("duplicity");
        if (!Directory.Exists("/usr/lib/python3/dist-packages/swiftclient"))
        {
            const string reason = "duplicity's swift backend needs python3-swiftclient (run scripts/install-servers.sh)";
            Requirement.Missing(reason);
        }
        _servers = await SwiftTestServers.GetAsync();
    }

    [Test]
    public async Task OurBackupWithLargeObjectVolumesRestoresWithDuplicity()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 1_500_000);
        var url = $"swift://ours{Guid.NewGuid():N}/backups/host1";
        var env = _servers.V3Environment();
        // Volumes of 512 KiB in 200 KiB segments: every volume is a Static Large Object.
        await using (var backend = new BackendRegistry().AddSwift(new SwiftBackendOptions { SegmentSize = 200 * 1024 })
                         .Open(url, new BackendOpenOptions { Environment = env }))
        {
            var result = await Support.Sessions.BackupAsync(backend, new RepositoryOptions
            {
                ArchiveDirectory = tmp.Sub("cache"),
                Name = "ours",
            }, new BackupOptions
            {
                Source = source,
                VolumeSize = 512 * 1024,
            });
            Assert.That(result.VolumeCount, Is.GreaterThanOrEqualTo(3));
        }

        var restored = tmp.Sub("restored");
        (await RunDuplicityAsync(env, tmp.Sub("dupcache"), "restore", "--no-encryption", url, restored)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    [Test]
    public async Task DuplicityBackupRestoresWithUs()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 2_500_000);
        var url = $"swift://dup{Guid.NewGuid():N}/pfx";
        var env = _servers.V3Environment();
        (await RunDuplicityAsync(env, tmp.Sub("dupcache"), "full", "--no-encryption", "--volsize", "1", source, url)).EnsureSuccess();

        var restored = tmp.Sub("restored");
        await using var backend = new BackendRegistry().AddSwift().Open(url, new BackendOpenOptions { Environment = env });
        var result = await Support.Sessions.RestoreAsync(backend, new RepositoryOptions
        {
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "ours",
        }, new RestoreOptions
        {
            Target = restored,
        });
        Assert.That(result.VolumesRead, Is.GreaterThanOrEqualTo(3));
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    private static Task<ExternalTool.Result> RunDuplicityAsync(Dictionary<string, string?> env, string archiveDir, params string[] args)
    {
        var all = new Dictionary<string, string?>(env) { ["PASSPHRASE"] = null };
        // The default is 5 tries 30 s apart: a failure would stall the run for minutes.
        return ExternalTool.RunAsync(ExternalTool.Require("duplicity"),
            [.. args, "--archive-dir", archiveDir, "--num-retries", "2", "--backend-retry-delay", "1"], all, timeout: TimeSpan.FromMinutes(3));
    }
}
