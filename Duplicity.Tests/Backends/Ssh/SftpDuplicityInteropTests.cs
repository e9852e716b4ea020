using Duplicity.Repository;
using Duplicity.Backends;
using Duplicity.Backends.Ssh;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Ssh;

/// <summary>
/// The real duplicity and this library share backups over SFTP: each restores what the other stored.
/// duplicity's paramiko backend reads ~/.ssh/known_hosts, so it runs with HOME at a folder holding one.
/// </summary>
[Category("Server")]
[TestFixture]
[NonParallelizable]
public class SftpDuplicityInteropTests
{
    private SshServerFixture _server = null!;
    private string _duplicityHome = "";

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        ExternalTool.Require("duplicity");
        _server = await SshServerFixture.StartAsync("key", "dupsshinterop");
        _duplicityHome = Path.Combine(_server.WorkDir, "duplicity-home");
        Directory.CreateDirectory(Path.Combine(_duplicityHome, ".ssh"));
        File.Copy(_server.KnownHosts, Path.Combine(_duplicityHome, ".ssh", "known_hosts"));
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    [Test]
    public async Task DuplicityRestoresWhatWeStoredOverSftp()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 1_500_000);
        var url = _server.Url("ours");
        await using (var backend = new BackendRegistry().AddSsh(_server.Options(_server.KeyEd25519)).Open(url, _server.OpenOptions()))
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
        (await RunDuplicityAsync(tmp.Sub("dupcache"), "restore", "--no-encryption", "paramiko+sftp" + url["sftp".Length..], restored)).EnsureSuccess();

        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    [Test]
    public async Task WeRestoreWhatDuplicityStoredOverSftp()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 2_500_000);
        var url = _server.Url("theirs");
        (await RunDuplicityAsync(tmp.Sub("dupcache"), "full", "--no-encryption", "--volsize", "1", source, url)).EnsureSuccess();
        Assert.That(Directory.GetFiles(Path.Combine(_server.Home, "theirs"), "*.difftar.gz").Length, Is.GreaterThanOrEqualTo(3));

        var restored = tmp.Sub("restored");
        await using var backend = new BackendRegistry().AddSsh(_server.Options(_server.KeyEd25519)).Open(url, _server.OpenOptions());
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

    private async Task<ExternalTool.Result> RunDuplicityAsync(string archiveDir, params string[] args)
    {
        var exe = ExternalTool.Require("duplicity");
        var all = new List<string>(args) { "--archive-dir", archiveDir, $"--ssh-options=-oIdentityFile={_server.KeyEd25519}" };
        return await ExternalTool.RunAsync(exe, all, new Dictionary<string, string?>
        {
            ["PASSPHRASE"] = null,
            ["FTP_PASSWORD"] = null,
            ["HOME"] = _duplicityHome,
        });
    }
}
