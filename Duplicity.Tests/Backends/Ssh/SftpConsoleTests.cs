namespace Duplicity.Tests.Backends.Ssh;

/// <summary>The console over sftp://: keys and known_hosts through duplicity's --ssh-options, or FTP_PASSWORD.</summary>
[Category("Server")]
[TestFixture]
[NonParallelizable]
public class SftpConsoleTests
{
    private SshServerFixture _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await SshServerFixture.StartAsync("both", "dupsshconsole");

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server != null) await _server.DisposeAsync();
    }

    [Test]
    public async Task FullAndRestoreWithSshOptions()
    {
        var server = _server;
        // HOME points at an empty ~/.ssh: without --ssh-options there would be no key and no known host.
        var environment = new Dictionary<string, string?> { ["HOME"] = server.ClientHome };

        await ConsoleRoundTrip.BackupAndRestoreAsync(server.Url("console/backups"), environment,
            $"--ssh-options=-oIdentityFile={server.KeyEd25519}", $"--ssh-options=-oUserKnownHostsFile={server.KnownHosts}",
            "--timeout", "20", "--num-retries", "2", "--backend-retry-delay", "1");

        var stored = Directory.GetFiles(Path.Combine(server.Home, "console", "backups")).Select(Path.GetFileName).ToList();
        Assert.That(stored, Has.Some.Match(@"^duplicity-full\..*\.vol2\.difftar\.gz$"), "the tree needed two 2 MiB volumes");
        Assert.That(stored, Has.Some.Match(@"^duplicity-full-signatures\..*\.sigtar\.gz$"));
    }

    [Test]
    public async Task FtpPasswordFromTheEnvironmentLogsIn()
    {
        using var tmp = new Support.TempFolder();
        Directory.CreateDirectory(tmp.Sub("src"));
        File.WriteAllText(Path.Combine(tmp.Sub("src"), "f.txt"), "by password");
        var environment = new Dictionary<string, string?> { ["HOME"] = _server.ClientHome, ["FTP_PASSWORD"] = _server.Password };

        var (code, output, err) = await ConsoleRoundTrip.RunAsync(environment, "full", "--no-encryption", "--archive-dir", tmp.Sub("cache"),
            $"--ssh-options=-oUserKnownHostsFile={_server.KnownHosts}", tmp.Sub("src"), _server.Url("by-password"));

        Assert.That(code, Is.Zero, err + output);
        Assert.That(Directory.GetFiles(Path.Combine(_server.Home, "by-password"), "duplicity-full.*.manifest"), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task WithoutKeyOrPasswordTheConsoleExitsWithPermissionDenied()
    {
        var server = _server;
        using var tmp = new Support.TempFolder();
        Directory.CreateDirectory(tmp.Sub("src"));
        var environment = new Dictionary<string, string?> { ["HOME"] = server.ClientHome };

        var (code, _, err) = await ConsoleRoundTrip.RunAsync(environment, "full", "--no-encryption", "--archive-dir", tmp.Sub("cache"),
            $"--ssh-options=-oUserKnownHostsFile={server.KnownHosts}", tmp.Sub("src"), server.Url("denied"));

        Assert.That(code, Is.EqualTo((int)DuplicityErrorCode.BackendPermissionDenied), err);
        Assert.That(err, Does.Not.Contain("Giving up"), "authentication failures are not retried");
    }
}
