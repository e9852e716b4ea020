using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Duplicity.Backends;
using Duplicity.Backends.WebDav;
using Duplicity.Tests.Backends.Swift;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.WebDav;

/// <summary>
/// One Apache mod_dav server on loopback (HTTP and HTTPS ports; <c>/dav/</c> with Basic auth, <c>/digest/</c> with
/// Digest auth, user dav / davpass; a throw-away CA signs the HTTPS certificate), started by
/// scripts/servers/webdav/start.sh the first time a WebDAV test asks for it and stopped by
/// <see cref="WebDavServerTearDown"/> when the run ends. Missing packages: the test is ignored, or failed when
/// DUPLICITY_REQUIRE_SERVERS=1 (install with scripts/install-servers.sh).
/// </summary>
internal sealed class WebDavTestServer
{
    public const string User = "dav";
    public const string Password = "davpass";

    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static WebDavTestServer? _current;
    private static string? _startFailure;

    private WebDavTestServer(string root, IReadOnlyDictionary<string, string> info)
    {
        Root = root;
        Info = info;
    }

    public string Root { get; }
    public IReadOnlyDictionary<string, string> Info { get; }
    public int Port => int.Parse(Info["WEBDAV_PORT"]);
    public int HttpsPort => int.Parse(Info["WEBDAVS_PORT"]);
    /// <summary>The CA that signed the server's certificate.</summary>
    public string CaFile => Info["WEBDAV_CA"];
    /// <summary>A CA that signed nothing the server has.</summary>
    public string OtherCaFile => Info["WEBDAV_OTHER_CA"];
    /// <summary>The server's document root on disk (www-data's): /dav/x is <c>StorageRoot/dav/x</c>.</summary>
    public string StorageRoot => Info["WEBDAV_ROOT"];

    /// <summary>A fresh folder below <c>/dav/</c> (Basic) or <c>/digest/</c> (Digest), not yet created.</summary>
    public static string FreshPath(string area = "dav", string? below = null) =>
        $"/{area}/{below ?? "t"}{Guid.NewGuid():N}";

    /// <summary>The URL of <paramref name="path"/> as duplicity writes it: user in the URL, password from FTP_PASSWORD.</summary>
    public string Url(string path, bool secure = false) =>
        $"{(secure ? "webdavs" : "webdav")}://{User}@127.0.0.1:{(secure ? HttpsPort : Port)}{path}";

    public static BackendOpenOptions OpenOptions() =>
        new() { Environment = new Dictionary<string, string?> { ["FTP_PASSWORD"] = Password } };

    public WebDavBackend Open(string path, bool secure = false, WebDavBackendOptions? options = null, BackendOpenOptions? open = null) =>
        WebDavBackend.Open(BackendUrl.Parse(Url(path, secure)), open ?? OpenOptions(),
            options ?? (secure ? new WebDavBackendOptions { CaCertificateFile = CaFile } : null));

    /// <summary>The folder on disk that serves <paramref name="path"/>.</summary>
    public string OnDisk(string path) => System.IO.Path.Combine(StorageRoot, path.TrimStart('/'));

    /// <summary>The running server, starting it on first use.</summary>
    public static async Task<WebDavTestServer> GetAsync()
    {
        await StartLock.WaitAsync();
        try
        {
            if (_current is not null)
                return _current;
            if (_startFailure is not null)
                Assert.Fail(_startFailure);
            var missing = new[] { "/usr/sbin/apache2", "/usr/bin/htpasswd", "/usr/bin/openssl", "/usr/bin/curl", "/usr/lib/apache2/modules/mod_dav_fs.so" }
                .Where(p => !File.Exists(p)).ToArray();
            if (missing.Length > 0)
                Requirement.Missing($"Apache mod_dav is not installed ({string.Join(", ", missing)} missing; run scripts/install-servers.sh)");
            try
            {
                _current = await StartAsync();
            }
            catch (Exception e)
            {
                _startFailure = "Apache mod_dav failed to start: " + e.Message;
                throw;
            }
            return _current;
        }
        finally
        {
            StartLock.Release();
        }
    }

    /// <summary>Stops the server if it was started.</summary>
    public static async Task StopAsync()
    {
        if (_current is not { } server)
            return;
        _current = null;
        await Run("stop.sh", [server.Root]);
        try { Directory.Delete(server.Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static async Task<WebDavTestServer> StartAsync()
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dup-webdav-" + Guid.NewGuid().ToString("N")[..12]);
        var (port, httpsPort) = FreePorts();
        var stopwatch = Stopwatch.StartNew();
        var result = await Run("start.sh", [root, port.ToString(), httpsPort.ToString()]);
        if (result.ExitCode == 3)
            Requirement.Missing("Apache mod_dav cannot start: " + result.StandardError.Trim());
        if (result.ExitCode != 0)
        {
            await Run("stop.sh", [root]);
            throw new InvalidOperationException(result.StandardError + result.StandardOutput);
        }
        TestContext.Progress.WriteLine($"Apache mod_dav started in {stopwatch.Elapsed.TotalSeconds:F1} s");
        return new WebDavTestServer(root, SwiftTestServers.ParseConnInfo(result.StandardOutput));
    }

    private static Task<ExternalTool.Result> Run(string script, string[] args) =>
        ExternalTool.RunAsync("/bin/bash", [System.IO.Path.Combine(ScriptsFolder(), "webdav", script), .. args], null, timeout: TimeSpan.FromMinutes(2));

    private static (int Http, int Https) FreePorts()
    {
        var random = new Random();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var basePort = random.Next(20000, 60000);
            if (IsFree(basePort) && IsFree(basePort + 1))
                return (basePort, basePort + 1);
        }
        throw new InvalidOperationException("no free port pair found");
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

    private static string ScriptsFolder()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "scripts", "servers");
            if (Directory.Exists(System.IO.Path.Combine(candidate, "webdav")))
                return candidate;
        }
        throw new InvalidOperationException("scripts/servers not found above the test directory");
    }
}

/// <summary>Stops the shared WebDAV server after the last test of this namespace.</summary>
[SetUpFixture]
public sealed class WebDavServerTearDown
{
    [OneTimeTearDown]
    public Task StopServerAsync() => WebDavTestServer.StopAsync();
}
