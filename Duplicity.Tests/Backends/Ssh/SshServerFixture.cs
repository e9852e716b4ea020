using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Net;
using System.Net.Sockets;
using Duplicity.Backends;
using Duplicity.Backends.Ssh;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Ssh;

/// <summary>
/// A throw-away OpenSSH server on 127.0.0.1, started with scripts/servers/sshd/start.sh in a temporary
/// folder on a free port and stopped with stop.sh. Missing sshd (or not running as root) ignores the test,
/// or fails it when DUPLICITY_REQUIRE_SERVERS=1.
/// </summary>
internal sealed class SshServerFixture : IAsyncDisposable
{
    private readonly string _scripts;

    private readonly string _mode;

    private SshServerFixture(string scripts, string mode, string workDir, Dictionary<string, string> conn)
    {
        _scripts = scripts;
        _mode = mode;
        WorkDir = workDir;
        Port = int.Parse(conn["SSH_PORT"], System.Globalization.CultureInfo.InvariantCulture);
        User = conn["SSH_USER"];
        Password = conn["SSH_PASSWORD"];
        KeyEd25519 = conn["SSH_KEY_ED25519"];
        KeyRsa = conn["SSH_KEY_RSA"];
        KnownHosts = conn["SSH_KNOWN_HOSTS"];
        Home = conn["SSH_HOME"];
    }

    public string WorkDir { get; }
    public int Port { get; }
    public string User { get; }
    public string Password { get; }
    public string KeyEd25519 { get; }
    public string KeyRsa { get; }
    public string KnownHosts { get; }

    /// <summary>The test user's home on the server = the SFTP login folder (readable locally).</summary>
    public string Home { get; }

    /// <summary>A HOME folder for the client side with nothing in ~/.ssh, so only the given keys count.</summary>
    public string ClientHome => Path.Combine(WorkDir, "client-home");

    /// <summary>Starts a server; <paramref name="mode"/> is key, password or both.</summary>
    public static async Task<SshServerFixture> StartAsync(string mode, string user)
    {
        RequireSshd();
        var scripts = FindScripts();
        var workDir = Path.Combine(Path.GetTempPath(), "dup-sshd-" + Guid.NewGuid().ToString("N")[..12]);
        var port = FreePort();
        var conn = await RunStartAsync(scripts, workDir, port, mode, user);
        var server = new SshServerFixture(scripts, mode, workDir, conn);
        Directory.CreateDirectory(server.ClientHome);
        return server;
    }

    /// <summary>
    /// Starts the server again on the same port and folder after <see cref="StopAsync"/>. The script makes
    /// fresh host and client keys, written to the same files, so clients that reread them connect again.
    /// </summary>
    public Task RestartAsync() => RunStartAsync(_scripts, WorkDir, Port, _mode, User);

    private static async Task<Dictionary<string, string>> RunStartAsync(string scripts, string workDir, int port, string mode, string user)
    {
        var result = await ExternalTool.RunAsync("/bin/bash", [Path.Combine(scripts, "start.sh"), workDir, port.ToString(System.Globalization.CultureInfo.InvariantCulture), mode, user],
            timeout: TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0)
            Assert.Fail($"start.sh failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
        return File.ReadAllLines(Path.Combine(workDir, "conn.env"))
            .Select(line => line.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
    }

    public string Url(string path, bool withPassword = false) =>
        $"sftp://{User}{(withPassword ? ":" + Uri.EscapeDataString(Password) : "")}@127.0.0.1:{Port}/{path}";

    /// <summary>Options trusting this server's host keys, with the given identity files.</summary>
    public SshBackendOptions Options(params string[] identityFiles)
    {
        var options = new SshBackendOptions { KnownHostsFile = KnownHosts };
        foreach (var file in identityFiles)
            options.IdentityFiles.Add(file);
        return options;
    }

    /// <summary>An environment with HOME at <see cref="ClientHome"/> and optionally FTP_PASSWORD; logs to <paramref name="loggerFactory"/>.</summary>
    public BackendOpenOptions OpenOptions(string? ftpPassword = null, ILoggerFactory? loggerFactory = null) => new()
    {
        Environment = new Dictionary<string, string?> { ["HOME"] = ClientHome, ["FTP_PASSWORD"] = ftpPassword },
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance,
    };

    public async Task StopAsync() =>
        await ExternalTool.RunAsync("/bin/bash", [Path.Combine(_scripts, "stop.sh"), WorkDir], timeout: TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void RequireSshd()
    {
        string? reason = null;
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/sbin/sshd"))
            reason = "OpenSSH sshd is not installed (run scripts/install-servers.sh)";
        else if (Environment.UserName != "root")
            reason = "the sshd test server needs root (it switches to a test user)";
        if (reason is null)
            return;
        Requirement.Missing(reason);
    }

    private static string FindScripts()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scripts", "servers", "sshd");
            if (File.Exists(Path.Combine(candidate, "start.sh")))
                return candidate;
        }
        Assert.Fail("scripts/servers/sshd/start.sh not found above the test folder");
        return null!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
