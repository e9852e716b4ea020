using Duplicity.Repository;
using Duplicity.Backends;
using Duplicity.Backends.S3;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.S3;

/// <summary>
/// The real duplicity 0.8.22 (boto3+s3 backend, needs python3-boto3) and our sessions read each other's
/// backups on the same s3rver bucket and prefix.
/// </summary>
[Category("Server")]
[TestFixture]
[NonParallelizable]
public class S3InteropTests
{
    private S3rverServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        ExternalTool.Require("duplicity");
        var boto = await ExternalTool.RunAsync("/usr/bin/python3", ["-c", "import boto3"]);
        if (boto.ExitCode != 0)
        {
            const string reason = "python3-boto3 is not installed (run scripts/install-servers.sh)";
            Requirement.Missing(reason);
        }
        _server = await S3rverServer.StartAsync("interop");
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
        const string url = "boto3+s3://interop/ours/backup";
        await using (var backend = new BackendRegistry().AddS3(_server.Options()).Open(url, S3rverServer.OpenOptions()))
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
        const string url = "boto3+s3://interop/theirs/backup";
        // --s3-multipart-chunk-size 1 (MiB) with 2 MiB volumes: duplicity's own multipart path too.
        (await RunDuplicityAsync(tmp.Sub("dupcache"), "full", "--volsize", "2", "--s3-multipart-chunk-size", "1", source, url)).EnsureSuccess();

        var restored = tmp.Sub("restored");
        await using var backend = new BackendRegistry().AddS3(_server.Options()).Open(url, S3rverServer.OpenOptions());
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
        var all = new List<string>(args)
        {
            "--no-encryption", "--archive-dir", archiveDir,
            "--s3-endpoint-url", _server.Endpoint, "--s3-region-name", "us-east-1",
        };
        return ExternalTool.RunAsync(exe, all, new Dictionary<string, string?>
        {
            ["PASSPHRASE"] = null,
            ["AWS_ACCESS_KEY_ID"] = S3rverServer.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = S3rverServer.SecretKey,
            ["AWS_PROFILE"] = null,
        });
    }
}
