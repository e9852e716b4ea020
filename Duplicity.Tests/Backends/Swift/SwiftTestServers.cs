using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Swift;

/// <summary>
/// One Keystone v3 and one Swift proxy (Keystone and tempauth side by side) on loopback, plus a second
/// proxy over the same storage serving Swift's S3 API with tempauth (<see cref="S3Endpoint"/>), started by
/// scripts/servers/{keystone,swift}/start.sh the first time a Swift test asks for them and stopped by
/// <see cref="SwiftServersTearDown"/> when the run ends. Missing packages: the test is ignored, or failed
/// when DUPLICITY_REQUIRE_SERVERS=1 (install with scripts/install-servers.sh).
/// </summary>
internal sealed class SwiftTestServers
{
    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static SwiftTestServers? _current;
    private static string? _startFailure;

    private SwiftTestServers(string root, IReadOnlyDictionary<string, string> keystone, IReadOnlyDictionary<string, string> swift)
    {
        Root = root;
        Keystone = keystone;
        Swift = swift;
    }

    public string Root { get; }
    public IReadOnlyDictionary<string, string> Keystone { get; }
    public IReadOnlyDictionary<string, string> Swift { get; }
    public string ProxyUrl => Swift["SWIFT_PROXY_URL"];
    public string KeystoneUrl => Keystone["KEYSTONE_URL"];
    public string V1AuthUrl => Swift["SWIFT_V1_AUTH_URL"];
    public string V1StorageUrl => Swift["SWIFT_V1_STORAGE_URL"];
    /// <summary>Swift's S3 API (s3api + tempauth, path-style), which checks SigV4 signatures unlike s3rver.</summary>
    public string S3Endpoint => Swift["SWIFT_S3_ENDPOINT"];
    /// <summary>The S3 access key of tempauth user test:tester.</summary>
    public string S3AccessKey => Swift["SWIFT_S3_ACCESS_KEY"];
    /// <summary>The S3 secret key of tempauth user test:tester.</summary>
    public string S3SecretKey => Swift["SWIFT_S3_SECRET_KEY"];
    /// <summary>The Swift account of Keystone's "test" project.</summary>
    public string KeystoneStorageUrl => $"{ProxyUrl}/v1/AUTH_{Keystone["KEYSTONE_TEST_PROJECT_ID"]}";

    /// <summary>SWIFT_* variables of Keystone v3 user tester (project test, domain Default).</summary>
    public Dictionary<string, string?> V3Environment() => new()
    {
        ["SWIFT_AUTHURL"] = KeystoneUrl,
        ["SWIFT_AUTHVERSION"] = "3",
        ["SWIFT_USERNAME"] = Keystone["KEYSTONE_TEST_USER"],
        ["SWIFT_PASSWORD"] = Keystone["KEYSTONE_TEST_PASSWORD"],
        ["SWIFT_TENANTNAME"] = Keystone["KEYSTONE_TEST_PROJECT"],
        ["SWIFT_USER_DOMAIN_NAME"] = "Default",
        ["SWIFT_PROJECT_DOMAIN_NAME"] = "Default",
        ["SWIFT_REGIONNAME"] = Keystone["KEYSTONE_REGION"],
    };

    /// <summary>SWIFT_* variables of tempauth user test:tester.</summary>
    public Dictionary<string, string?> V1Environment() => new()
    {
        ["SWIFT_AUTHURL"] = V1AuthUrl,
        ["SWIFT_AUTHVERSION"] = "1",
        ["SWIFT_USERNAME"] = Swift["SWIFT_V1_USER"],
        ["SWIFT_PASSWORD"] = Swift["SWIFT_V1_KEY"],
    };

    /// <summary>The running servers, starting them on first use.</summary>
    public static async Task<SwiftTestServers> GetAsync()
    {
        await StartLock.WaitAsync();
        try
        {
            if (_current is not null)
                return _current;
            if (_startFailure is not null)
                Assert.Fail(_startFailure);
            var missing = new[] { "/usr/bin/swift-proxy-server", "/usr/bin/keystone-wsgi-public", "/usr/bin/uwsgi", "/usr/bin/memcached", "/usr/bin/curl" }
                .Where(p => !File.Exists(p)).ToArray();
            if (missing.Length > 0)
                Unavailable($"Swift/Keystone are not installed ({string.Join(", ", missing)} missing; run scripts/install-servers.sh)");
            try
            {
                _current = await StartAsync();
            }
            catch (Exception e)
            {
                _startFailure = "Swift/Keystone failed to start: " + e.Message;
                throw;
            }
            return _current;
        }
        finally
        {
            StartLock.Release();
        }
    }

    /// <summary>Stops the servers if they were started.</summary>
    public static async Task StopAsync()
    {
        if (_current is not { } servers)
            return;
        _current = null;
        var scripts = ScriptsFolder();
        await Task.WhenAll(
            Run(Path.Combine(scripts, "swift", "stop.sh"), [Path.Combine(servers.Root, "swift")]),
            Run(Path.Combine(scripts, "keystone", "stop.sh"), [Path.Combine(servers.Root, "keystone")]));
        try { Directory.Delete(servers.Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static async Task<SwiftTestServers> StartAsync()
    {
        var scripts = ScriptsFolder();
        var root = Path.Combine(Path.GetTempPath(), "dup-swift-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var (keystonePort, swiftPort, s3Port) = FreePorts();
        var proxy = $"http://127.0.0.1:{swiftPort}";
        var stopwatch = Stopwatch.StartNew();
        // Both at once: Swift's authtoken logs in to Keystone lazily, and the 2 cores overlap the start-ups.
        var keystone = Run(Path.Combine(scripts, "keystone", "start.sh"), [Path.Combine(root, "keystone"), keystonePort.ToString(), proxy]);
        var swift = Run(Path.Combine(scripts, "swift", "start.sh"), [Path.Combine(root, "swift"), swiftPort.ToString(), "both"],
            new() { ["KEYSTONE_URL"] = $"http://127.0.0.1:{keystonePort}/v3", ["SWIFT_S3_PORT"] = s3Port.ToString() });
        var results = await Task.WhenAll(keystone, swift);
        if (results.Any(r => r.ExitCode != 0))
        {
            await Run(Path.Combine(scripts, "swift", "stop.sh"), [Path.Combine(root, "swift")]);
            await Run(Path.Combine(scripts, "keystone", "stop.sh"), [Path.Combine(root, "keystone")]);
            throw new InvalidOperationException(string.Join("\n", results.Select(r => r.StandardError)));
        }
        TestContext.Progress.WriteLine($"Swift + Keystone started in {stopwatch.Elapsed.TotalSeconds:F1} s");
        return new SwiftTestServers(root, ParseConnInfo(results[0].StandardOutput), ParseConnInfo(results[1].StandardOutput));
    }

    private static Task<ExternalTool.Result> Run(string script, string[] args, Dictionary<string, string?>? env = null) =>
        ExternalTool.RunAsync("/bin/bash", [script, .. args], env, timeout: TimeSpan.FromMinutes(2));

    internal static Dictionary<string, string> ParseConnInfo(string text)
    {
        var result = new Dictionary<string, string>();
        foreach (var line in text.Split('\n'))
        {
            var eq = line.IndexOf('=');
            if (eq <= 0 || line.StartsWith('#'))
                continue;
            result[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"', '\'');
        }
        return result;
    }

    // Keystone needs one port, Swift five in a row (proxy, object, container, account, memcached), its S3 proxy one.
    private static (int Keystone, int Swift, int S3) FreePorts()
    {
        var random = new Random();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var basePort = random.Next(20000, 60000);
            if (Enumerable.Range(basePort, 8).All(IsFree))
                return (basePort, basePort + 2, basePort + 7);
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

    private static string ScriptsFolder()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scripts", "servers");
            if (Directory.Exists(Path.Combine(candidate, "swift")))
                return candidate;
        }
        throw new InvalidOperationException("scripts/servers not found above the test directory");
    }

    private static void Unavailable(string reason) => Requirement.Missing(reason);
}

/// <summary>Stops the shared Swift/Keystone servers after the last test of this namespace.</summary>
[SetUpFixture]
public sealed class SwiftServersTearDown
{
    [OneTimeTearDown]
    public Task StopServersAsync() => SwiftTestServers.StopAsync();
}
