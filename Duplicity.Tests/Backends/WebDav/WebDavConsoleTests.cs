namespace Duplicity.Tests.Backends.WebDav;

/// <summary>The console over webdavs:// with --ssl-cacert-file and FTP_PASSWORD, and its refusal of an untrusted certificate.</summary>
[Category("Server")]
[TestFixture]
public class WebDavConsoleTests
{
    [Test]
    public async Task FullAndRestoreOverWebDavsWithTheCaFile()
    {
        var server = await WebDavTestServer.GetAsync();
        await ConsoleRoundTrip.BackupAndRestoreAsync(server.Url(WebDavTestServer.FreshPath() + "/console", secure: true),
            new Dictionary<string, string?> { ["FTP_PASSWORD"] = WebDavTestServer.Password },
            "--ssl-cacert-file", server.CaFile, "--num-retries", "2", "--backend-retry-delay", "1");
    }

    [Test]
    public async Task AnUntrustedCertificateStopsTheConsoleWithoutRetrying()
    {
        var server = await WebDavTestServer.GetAsync();
        using var tmp = new Support.TempFolder();
        Directory.CreateDirectory(tmp.Sub("src"));

        var (code, output, err) = await ConsoleRoundTrip.RunAsync(new Dictionary<string, string?> { ["FTP_PASSWORD"] = WebDavTestServer.Password },
            "full", "--no-encryption", "--archive-dir", tmp.Sub("cache"), "--ssl-cacert-file", server.OtherCaFile,
            "--num-retries", "3", "--backend-retry-delay", "1", tmp.Sub("src"), server.Url(WebDavTestServer.FreshPath(), secure: true));

        Assert.That(code, Is.EqualTo((int)DuplicityErrorCode.BackendGaveUp), err + output);
        Assert.That(err + output, Does.Contain("certificate is not trusted").And.Not.Contain(WebDavTestServer.Password));
        Assert.That(output + err, Does.Not.Contain("Nr. 1 failed"), "not retried");
    }

    [Test]
    public async Task NoCertificateCheckIsNeverSkipped()
    {
        var server = await WebDavTestServer.GetAsync();
        using var tmp = new Support.TempFolder();
        Directory.CreateDirectory(tmp.Sub("src"));

        var (code, output, err) = await ConsoleRoundTrip.RunAsync(new Dictionary<string, string?> { ["FTP_PASSWORD"] = WebDavTestServer.Password },
            "full", "--no-encryption", "--archive-dir", tmp.Sub("cache"), "--ssl-no-check-certificate",
            tmp.Sub("src"), server.Url(WebDavTestServer.FreshPath(), secure: true));

        Assert.That(code, Is.EqualTo((int)DuplicityErrorCode.NotImplemented), err + output);
    }
}
