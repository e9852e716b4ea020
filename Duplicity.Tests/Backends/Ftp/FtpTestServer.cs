using System.Net;
using System.Net.Sockets;
using Duplicity.Backends;
using Duplicity.Backends.Ftp;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Ftp;

/// <summary>
/// A throw-away vsftpd on 127.0.0.1 (scripts/servers/ftp/start.sh), one per mode, shared by the FTP tests and
/// stopped after the last of them. Missing vsftpd or root skips (fails under DUPLICITY_REQUIRE_SERVERS=1).
/// </summary>
internal sealed class FtpTestServer
{
    public const string Password = "dupftp-pass-123";
    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static readonly Dictionary<string, FtpTestServer> Running = [];
    private static readonly Dictionary<string, string> Failures = [];
    private static int _users;

    private FtpTestServer(string root, string mode, string user, int port, string home)
    {
        Root = root;
        Mode = mode;
        User = user;
        Port = port;
        Home = home;
    }

    public string Root { get; }
    public string Mode { get; }
    public string User { get; }
    public int Port { get; }
    /// <summary>The login folder (the test user's home), on this machine.</summary>
    public string Home { get; }
    /// <summary>The throw-away certificate, also its own CA (TLS modes).</summary>
    public string CaFile => Path.Combine(Root, "cert.pem");

    public string Scheme => Mode switch { "explicit" => "ftpes", "implicit" => "ftps", _ => "ftp" };

    /// <summary>A URL for a fresh folder below the login folder (user in the URL, password not).</summary>
    public string Url(string folder) => $"{Scheme}://{User}@127.0.0.1:{Port}/{folder}";

    public static BackendOpenOptions OpenOptions(Microsoft.Extensions.Logging.ILoggerFactory? logging = null) => new()
    {
        Environment = new Dictionary<string, string?> { ["FTP_PASSWORD"] = Password },
        LoggerFactory = logging ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
    };

    public FtpBackendOptions Options(bool passive = true) => new()
    {
        CaCertificateFile = Mode == "plain" ? null : CaFile,
        Passive = passive,
        Timeout = TimeSpan.FromSeconds(20),
    };

    public FtpBackend Open(string folder, FtpBackendOptions? options = null, Microsoft.Extensions.Logging.ILoggerFactory? logging = null) =>
        FtpBackend.Open(BackendUrl.Parse(Url(folder)), OpenOptions(logging), options ?? Options());

    /// <summary>The server of a mode (plain, explicit, implicit), started on first use.</summary>
    public static async Task<FtpTestServer> GetAsync(string mode)
    {
        await StartLock.WaitAsync();
        try
        {
            if (Running.TryGetValue(mode, out var server))
                return server;
            if (Failures.TryGetValue(mode, out var failure))
                Assert.Fail(failure);
            if (!File.Exists("/usr/sbin/vsftpd"))
                Requirement.Missing("vsftpd is not installed (run scripts/install-servers.sh)");
            if (Environment.UserName != "root")
                Requirement.Missing("the FTP tests run vsftpd with a local test user, which needs root");
            var root = Path.Combine(Path.GetTempPath(), "dup-ftp-" + Guid.NewGuid().ToString("N")[..12]);
            var (port, pasvMin, pasvMax) = FreePorts();
            // One user per server, so two servers never fight over one user's home folder.
            var user = $"dupftp{Interlocked.Increment(ref _users)}{Environment.ProcessId % 1000}";
            var result = await ExternalTool.RunAsync("/bin/bash",
                [Script("start.sh"), root, port.ToString(), mode, user, pasvMin.ToString(), pasvMax.ToString()],
                timeout: TimeSpan.FromMinutes(1));
            if (result.ExitCode == 3)
                Requirement.Missing("vsftpd cannot run: " + result.StandardError.Trim());
            if (result.ExitCode != 0)
            {
                Failures[mode] = $"vsftpd ({mode}) failed to start (exit {result.ExitCode}):\n{result.StandardError}";
                Assert.Fail(Failures[mode]);
            }
            server = new FtpTestServer(root, mode, user, port, Path.Combine(root, "home"));
            Running[mode] = server;
            return server;
        }
        finally
        {
            StartLock.Release();
        }
    }

    public static async Task StopAllAsync()
    {
        foreach (var server in Running.Values)
        {
            await ExternalTool.RunAsync("/bin/bash", [Script("stop.sh"), server.Root], timeout: TimeSpan.FromSeconds(30));
            await ExternalTool.RunAsync("/usr/sbin/userdel", [server.User], timeout: TimeSpan.FromSeconds(30));
            try { Directory.Delete(server.Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        Running.Clear();
    }

    internal static string Script(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scripts", "servers", "ftp", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("scripts/servers/ftp not found above " + AppContext.BaseDirectory);
    }

    // A control port and 30 passive ports after it, all free.
    private static (int Port, int PasvMin, int PasvMax) FreePorts()
    {
        var random = new Random();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var basePort = random.Next(20000, 60000);
            if (Enumerable.Range(basePort, 31).All(IsFree))
                return (basePort, basePort + 1, basePort + 30);
        }
        throw new InvalidOperationException("no free port range found");
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>Stops the FTP servers after the last test of this namespace.</summary>
[SetUpFixture]
public sealed class FtpServersTearDown
{
    [OneTimeTearDown]
    public Task StopServersAsync() => FtpTestServer.StopAllAsync();
}
