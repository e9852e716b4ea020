using System.Globalization;
using Duplicity.Tests.Backends.S3;
using Duplicity.Tests.Backends.Ssh;
using Duplicity.Tests.Backends.Swift;
using Duplicity.Tests.Support.Faults;

namespace Duplicity.Tests.Faults;

/// <summary>
/// Every real server behind a <see cref="FaultProxy"/> that resets, stalls, truncates and bit-flips every
/// connection (about once per MiB): backups and restores complete identical after retries or fail typed, nothing is lost.
/// Retries are immediate and the timeout short (2 s), so the stalls past it cost little.
/// </summary>
[Category("Fault")]
[Category("Server")]
[NonParallelizable] // the long stalls must not pass for timeouts because a parallel test took the CPU
public class FaultProxyTests
{
    private const int Backups = 3;
    private const double FaultRate = 1.0; // every direction of every connection, sooner or later
    private const long MaxOffset = 2_000_000; // about one fault per MiB on a kept-alive connection
    private static readonly TimeSpan LongStall = TimeSpan.FromSeconds(3);
    private static readonly string[] Retries = ["--num-retries", "12", "--backend-retry-delay", "0", "--timeout", "2"];

    private static readonly ProxyFaultKind[] AllKinds =
        [ProxyFaultKind.Reset, ProxyFaultKind.Stall, ProxyFaultKind.Truncate, ProxyFaultKind.BitFlip];

    [Test]
    public async Task SftpThroughTheFaultProxy()
    {
        await using var server = await SshServerFixture.StartAsync("key", "dupfaults");
        using var proxy = NewProxy(server.Port, defaultSeed: 101);
        // The host key is known for the server's port; the client connects to the proxy's.
        var knownHosts = Path.Combine(server.WorkDir, "known_hosts_proxy");
        File.WriteAllText(knownHosts, File.ReadAllText(server.KnownHosts).Replace($"]:{server.Port} ", $"]:{proxy.Port} ", StringComparison.Ordinal));
        var url = $"sftp://{server.User}@127.0.0.1:{proxy.Port}/faults";
        await new ProxiedRoundTrip(proxy, url, new Dictionary<string, string?> { ["HOME"] = server.ClientHome },
            [$"--ssh-options=-oIdentityFile={server.KeyEd25519}", $"--ssh-options=-oUserKnownHostsFile={knownHosts}", .. Retries])
            .RunAsync(Backups);
    }

    [Test]
    public async Task S3rverThroughTheFaultProxy()
    {
        await using var server = await S3rverServer.StartAsync("faults");
        // No stalls here: s3rver writes an object in place, so a PUT that stalls past the timeout and is
        // retried (by the SDK) can land its late bytes in the object the retry stored — seen as a gzip CRC
        // error on a volume whose PUT had been verified by its ETag. S3, MinIO and Swift's s3api (below,
        // with stalls) store atomically.
        using var proxy = NewProxy(server.Port, defaultSeed: 202, kinds: [ProxyFaultKind.Reset, ProxyFaultKind.Truncate, ProxyFaultKind.BitFlip]);
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = S3rverServer.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3rverServer.SecretKey,
        };
        await new ProxiedRoundTrip(proxy, "boto3+s3://faults/prefix", environment,
            ["--s3-endpoint-url", $"http://127.0.0.1:{proxy.Port}", "--s3-region-name", "us-east-1", .. Retries]).RunAsync(Backups);
    }

    [Test]
    public async Task SwiftS3ApiThroughTheFaultProxy()
    {
        var servers = await SwiftTestServers.GetAsync();
        await SwiftS3Api.CreateBucketAsync(servers, "faults-s3api");
        using var proxy = NewProxy(new Uri(servers.S3Endpoint).Port, defaultSeed: 303);
        await new ProxiedRoundTrip(proxy, "boto3+s3://faults-s3api/prefix", SwiftS3Api.OpenOptions(servers).Environment!,
            ["--s3-endpoint-url", $"http://127.0.0.1:{proxy.Port}", "--s3-region-name", "us-east-1", .. Retries]).RunAsync(Backups);
    }

    [Test]
    public async Task SwiftWithKeystoneThroughTheFaultProxy()
    {
        var servers = await SwiftTestServers.GetAsync();
        int swiftPort = new Uri(servers.ProxyUrl).Port, keystonePort = new Uri(servers.KeystoneUrl).Port;
        using var swiftProxy = NewProxy(swiftPort, defaultSeed: 404);
        using var keystoneProxy = NewProxy(keystonePort, defaultSeed: 405);
        // Keystone's catalog names Swift's port: rewritten on the way (same length), so storage goes through a proxy too.
        keystoneProxy.RewriteDownstream($"127.0.0.1:{swiftPort}", $"127.0.0.1:{swiftProxy.Port}");
        var environment = servers.V3Environment();
        environment["SWIFT_AUTHURL"] = servers.KeystoneUrl.Replace($":{keystonePort}", $":{keystoneProxy.Port}", StringComparison.Ordinal);
        await new ProxiedRoundTrip(swiftProxy, "swift://faults-keystone/prefix", environment, ["--mp-segment-size", "1", .. Retries], keystoneProxy)
            .RunAsync(Backups);
    }

    private static FaultProxy NewProxy(int targetPort, int defaultSeed, ProxyFaultKind[]? kinds = null)
    {
        int seed = Environment.GetEnvironmentVariable("DUPLICITY_FAULT_SEED") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture) : defaultSeed;
        return new FaultProxy(targetPort, seed, FaultRate, MaxOffset, kinds ?? AllKinds, LongStall);
    }
}
