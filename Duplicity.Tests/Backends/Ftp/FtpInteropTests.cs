using Duplicity.Backends;
using Duplicity.Backends.Ftp;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Ftp;

/// <summary>
/// The real duplicity 0.8.22 (its lftp backend, which serves ftp://, ftps:// and ftpes://) and our sessions read each
/// other's backups on the same vsftpd folder, over plain FTP and over FTPS.
/// </summary>
[Category("Server")]
[TestFixture]
[NonParallelizable]
public class FtpInteropTests
{
    [OneTimeSetUp]
    public void RequireTools()
    {
        ExternalTool.Require("duplicity");
        if (!File.Exists("/usr/bin/lftp"))
            Requirement.Missing("lftp is not installed (duplicity's FTP backend runs it; run scripts/install-servers.sh)");
    }

    [TestCase("plain")]
    [TestCase("implicit")]
    public async Task DuplicityRestoresWhatOurBackupSessionStored(string mode)
    {
        var server = await FtpTestServer.GetAsync(mode);
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 1_500_000);
        var url = server.Url($"ours{Guid.NewGuid():N}/backup");
        await using (var backend = new BackendRegistry().AddFtp(server.Options()).Open(url, FtpTestServer.OpenOptions()))
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
        (await RunDuplicityAsync(server, tmp.Sub("dupcache"), "restore", url, restored)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    // Not "implicit": there lftp 4.9.2's second upload of a run hangs against vsftpd (seen with --num-retries 1 and 3),
    // before our code is involved; the explicit-TLS server carries the TLS case of this direction.
    [TestCase("plain")]
    [TestCase("explicit")]
    public async Task OurRestoreSessionRestoresWhatDuplicityStored(string mode)
    {
        var server = await FtpTestServer.GetAsync(mode);
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 2_500_000);
        var url = server.Url($"theirs{Guid.NewGuid():N}/backup");
        // duplicity 0.8.22 + lftp 4.9.2 cannot start in a missing folder on vsftpd: its "mkdir -p folder/" sends a
        // last MKD with the trailing slash, vsftpd answers 550 (it exists by then), and lftp's failure ends the
        // listing (a retry would pass). Our backend creates the folder, level by level, on its first listing.
        await using (var creator = new BackendRegistry().AddFtp(server.Options()).Open(url, FtpTestServer.OpenOptions()))
            Assert.That(await creator.ListAsync().CountAsync(), Is.Zero);
        (await RunDuplicityAsync(server, tmp.Sub("dupcache"), "full", "--volsize", "1", source, url)).EnsureSuccess();

        var restored = tmp.Sub("restored");
        await using var backend = new BackendRegistry().AddFtp(server.Options()).Open(url, FtpTestServer.OpenOptions());
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

    private static Task<ExternalTool.Result> RunDuplicityAsync(FtpTestServer server, string archiveDir, params string[] args)
    {
        var exe = ExternalTool.Require("duplicity");
        var all = new List<string>(args) { "--no-encryption", "--archive-dir", archiveDir, "--num-retries", "3" };
        if (server.Mode != "plain")
            all.AddRange(["--ssl-cacert-file", server.CaFile]);
        return ExternalTool.RunAsync(exe, all, new Dictionary<string, string?>
        {
            ["PASSPHRASE"] = null,
            ["FTP_PASSWORD"] = FtpTestServer.Password,
        }, timeout: TimeSpan.FromMinutes(2));
    }
}
