using Duplicity.Backends;
using Duplicity.Backends.Rclone;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Backends.Ssh;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Rclone;

/// <summary>
/// The real duplicity 0.8.22 and this library share backups through rclone (<c>rclone://remote:path</c>, an sftp
/// remote on a real sshd, configured for both with <c>RCLONE_CONFIG</c>): each restores what the other stored.
/// </summary>
[Category("Server")]
[TestFixture]
[NonParallelizable]
public class RcloneDuplicityInteropTests
{
    private SshServerFixture _server = null!;
    private RcloneConfig _config = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        ExternalTool.Require("duplicity");
        ExternalTool.Require("rclone");
        _server = await SshServerFixture.StartAsync("key", "duprcloneio");
        _config = RcloneConfig.Write(Path.Combine(_server.WorkDir, "rclone"), _server);
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    [Test]
    public async Task DuplicityRestoresWhatWeStoredThroughRclone()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 1_500_000);
        var url = $"rclone://{RcloneConfig.SftpRemote}:ours";
        await using (var backend = new BackendRegistry().AddRclone().Open(url, _config.OpenOptions()))
        {
            var result = await Support.Sessions.BackupAsync(backend, new RepositoryOptions { ArchiveDirectory = tmp.Sub("cache"), Name = "ours" },
                new BackupOptions { Source = source, VolumeSize = 512 * 1024 });
            Assert.That(result.VolumeCount, Is.GreaterThanOrEqualTo(3));
        }
        Assert.That(Directory.GetFiles(Path.Combine(_server.Home, "ours"), "*.difftar.gz").Length, Is.GreaterThanOrEqualTo(3), "stored on the sftp server");
        Assert.That(Directory.GetFiles(Path.Combine(_server.Home, "ours"), "*.tmp"), Is.Empty, "no temporary upload left");

        var restored = tmp.Sub("restored");
        (await RunDuplicityAsync(tmp.Sub("dupcache"), "restore", "--no-encryption", url, restored)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    [Test]
    public async Task WeRestoreWhatDuplicityStoredThroughRclone()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 2_500_000);
        var url = $"rclone://{RcloneConfig.SftpRemote}:theirs";
        (await RunDuplicityAsync(tmp.Sub("dupcache"), "full", "--no-encryption", "--volsize", "1", source, url)).EnsureSuccess();
        Assert.That(Directory.GetFiles(Path.Combine(_server.Home, "theirs"), "*.difftar.gz").Length, Is.GreaterThanOrEqualTo(3));

        var restored = tmp.Sub("restored");
        await using var backend = new BackendRegistry().AddRclone().Open(url, _config.OpenOptions());
        var result = await Support.Sessions.RestoreAsync(backend, new RepositoryOptions { ArchiveDirectory = tmp.Sub("cache"), Name = "ours" },
            new RestoreOptions { Target = restored });

        Assert.That(result.VolumesRead, Is.GreaterThanOrEqualTo(3));
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    private Task<ExternalTool.Result> RunDuplicityAsync(string archiveDir, params string[] args) =>
        DuplicityCli.RunWithEnvironmentAsync(archiveDir, new Dictionary<string, string?>
        {
            ["PASSPHRASE"] = null,
            ["RCLONE_CONFIG"] = _config.Path,
        }, args);
}
