using Duplicity.Backends;
using Duplicity.Backends.WebDav;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.WebDav;

/// <summary>
/// Backups stored over WebDAV by us restore with the real duplicity 0.8.22 (webdav:// and webdavs:// with
/// FTP_PASSWORD, --ssl-cacert-file), and the reverse.
/// </summary>
[Category("Server")]
[TestFixture, NonParallelizable]
public class WebDavDuplicityInteropTests
{
    private WebDavTestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        ExternalTool.Require("duplicity");
        _server = await WebDavTestServer.GetAsync();
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task OurBackupRestoresWithDuplicity(bool secure)
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 1_500_000);
        var url = _server.Url(WebDavTestServer.FreshPath() + "/backups/host1", secure);
        await using (var backend = new BackendRegistry().AddWebDav(new WebDavBackendOptions { CaCertificateFile = _server.CaFile })
                         .Open(url, WebDavTestServer.OpenOptions()))
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
        (await RunDuplicityAsync(tmp.Sub("dupcache"), "restore", "--no-encryption", "--ssl-cacert-file", _server.CaFile, url, restored)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    [Test]
    public async Task DuplicityBackupRestoresWithUs()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 2_500_000);
        // The form the brief names: user in the URL, password in FTP_PASSWORD; duplicity makes the folders.
        var url = _server.Url(WebDavTestServer.FreshPath() + "/x");
        (await RunDuplicityAsync(tmp.Sub("dupcache"), "full", "--no-encryption", "--volsize", "1", source, url)).EnsureSuccess();

        var restored = tmp.Sub("restored");
        await using var backend = new BackendRegistry().AddWebDav().Open(url, WebDavTestServer.OpenOptions());
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

    private static Task<ExternalTool.Result> RunDuplicityAsync(string archiveDir, params string[] args)
    {
        var env = new Dictionary<string, string?> { ["PASSPHRASE"] = null, ["FTP_PASSWORD"] = WebDavTestServer.Password };
        // The default is 5 tries 30 s apart: a failure would stall the run for minutes.
        return ExternalTool.RunAsync(ExternalTool.Require("duplicity"),
            [.. args, "--archive-dir", archiveDir, "--num-retries", "2", "--backend-retry-delay", "1"], env, timeout: TimeSpan.FromMinutes(3));
    }
}
