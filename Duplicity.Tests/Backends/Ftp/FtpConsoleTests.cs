namespace Duplicity.Tests.Backends.Ftp;

/// <summary>The console over ftp:// and ftpes:// with duplicity's FTP options (FTP_PASSWORD, --ftp-regular, --ssl-cacert-file).</summary>
[Category("Server")]
[TestFixture]
public class FtpConsoleTests
{
    [Test]
    public async Task FullAndRestoreOverExplicitFtpsWithACaFile()
    {
        var server = await FtpTestServer.GetAsync("explicit");
        await ConsoleRoundTrip.BackupAndRestoreAsync(server.Url($"console{Guid.NewGuid():N}/p"), FtpTestServer.OpenOptions().Environment,
            "--ssl-cacert-file", server.CaFile, "--num-retries", "2", "--backend-retry-delay", "1");
    }

    [Test]
    public async Task FullAndRestoreOverPlainFtpInActiveMode()
    {
        var server = await FtpTestServer.GetAsync("plain");
        await ConsoleRoundTrip.BackupAndRestoreAsync(server.Url($"console{Guid.NewGuid():N}"), FtpTestServer.OpenOptions().Environment,
            "--ftp-regular", "--num-retries", "2", "--backend-retry-delay", "1");
    }

    [Test]
    public async Task AnUntrustedCertificateStopsTheConsoleWithoutRetrying()
    {
        var server = await FtpTestServer.GetAsync("explicit");
        using var tmp = new Support.TempFolder();
        Directory.CreateDirectory(tmp.Sub("src"));
        var (code, output, err) = await ConsoleRoundTrip.RunAsync(FtpTestServer.OpenOptions().Environment, "full", "--no-encryption",
            "--archive-dir", tmp.Sub("cache"), "--num-retries", "3", "--backend-retry-delay", "1", tmp.Sub("src"), server.Url("untrusted"));
        Assert.That(code, Is.EqualTo((int)DuplicityErrorCode.BackendGaveUp), err + output);
        Assert.That(err, Does.Contain("TLS"));
        Assert.That(output + err, Does.Not.Contain("Nr. 1 failed"), "a refused certificate is not retried");
        Assert.That(output + err, Does.Not.Contain(FtpTestServer.Password));
    }

    [Test]
    public async Task NoCertificateCheckIsHonouredWithALoudWarning()
    {
        var server = await FtpTestServer.GetAsync("explicit");
        using var tmp = new Support.TempFolder();
        Directory.CreateDirectory(tmp.Sub("src"));
        File.WriteAllText(tmp.Sub("src/a.txt"), "a");
        var (code, output, err) = await ConsoleRoundTrip.RunAsync(FtpTestServer.OpenOptions().Environment, "full", "--no-encryption",
            "--ssl-no-check-certificate", "--archive-dir", tmp.Sub("cache"), tmp.Sub("src"), server.Url($"nocheck{Guid.NewGuid():N}"));
        Assert.That(code, Is.Zero, err + output);
        Assert.That(output + err, Does.Contain("certificate is NOT checked"));
    }
}
