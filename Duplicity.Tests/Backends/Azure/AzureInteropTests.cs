using Duplicity.Backends;
using Duplicity.Backends.Azure;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Azure;

/// <summary>
/// The real duplicity 0.8.22 (azure backend, needs python3-azure) and our sessions read each other's
/// backups in the same Azurite container, with AZURE_CONNECTION_STRING as duplicity reads it.
/// </summary>
[Category("Server")]
[TestFixture]
[NonParallelizable]
public class AzureInteropTests
{
    private AzuriteServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        ExternalTool.Require("duplicity");
        var sdk = await ExternalTool.RunAsync("/usr/bin/python3", ["-c", "import azure.storage.blob"]);
        if (sdk.ExitCode != 0)
            Requirement.Missing("python3-azure is not installed (run scripts/install-servers.sh)");
        _server = await AzuriteServer.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server != null) await _server.DisposeAsync();
    }

    [Test]
    public async Task DuplicityRestoresWhatOurBackupSessionStored()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 1_500_000);
        const string url = "azure://ours";
        // 256 KiB single puts: the 512 KiB volumes go up as committed blocks, the small files as single puts.
        var options = new AzureBackendOptions { MaxSinglePutSize = 256 * 1024, MaxBlockSize = 100 * 1024 };
        await using (var backend = new BackendRegistry().AddAzure(options).Open(url, _server.OpenOptions()))
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
        (await RunDuplicityAsync(tmp.Sub("dupcache"), "restore", url, restored)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    [Test]
    public async Task OurRestoreSessionRestoresWhatDuplicityStored()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 2_500_000);
        const string url = "azure://theirs";
        // --azure-max-single-put-size 1 MiB with 2 MiB volumes: duplicity's SDK stages blocks too.
        (await RunDuplicityAsync(tmp.Sub("dupcache"), "full", "--volsize", "2", "--azure-max-single-put-size", "1048576", source, url)).EnsureSuccess();

        var restored = tmp.Sub("restored");
        await using var backend = new BackendRegistry().AddAzure().Open(url, _server.OpenOptions());
        var names = new List<string>();
        await foreach (var f in backend.ListAsync()) names.Add(f.Name);
        Assert.That(names, Has.Some.EndsWith(".manifest").And.Some.Contains(".vol2.difftar.gz"));

        var result = await Support.Sessions.RestoreAsync(backend, new RepositoryOptions
        {
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "ours",
        }, new RestoreOptions
        {
            Target = restored,
        });
        Assert.That(result.VolumesRead, Is.GreaterThanOrEqualTo(2));
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    private Task<ExternalTool.Result> RunDuplicityAsync(string archiveDir, params string[] args)
    {
        var exe = ExternalTool.Require("duplicity");
        var all = new List<string>(args) { "--no-encryption", "--archive-dir", archiveDir };
        var environment = new Dictionary<string, string?>(_server.Environment()) { ["PASSPHRASE"] = null };
        return ExternalTool.RunAsync(exe, all, environment);
    }
}
