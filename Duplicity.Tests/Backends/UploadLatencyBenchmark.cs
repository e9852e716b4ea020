using System.Diagnostics;
using System.Globalization;
using Duplicity.Tests.Backends.S3;
using Duplicity.Tests.Backends.Ssh;
using Duplicity.Tests.Backends.Swift;
using Duplicity.Tests.Support;
using Duplicity.Tests.Support.Faults;

namespace Duplicity.Tests.Backends;

/// <summary>
/// What <c>--asynchronous-upload</c> (four volumes uploading at once) gains against a distant server: a full
/// backup of 24 MiB of random data in 2 MiB volumes to the real SFTP, S3 (s3rver) and Swift (+ Keystone)
/// servers behind a <see cref="LatencyProxy"/> adding 50 ms to every round trip, with and without the option,
/// alternating, two rounds; the last backup of each server is restored and compared. Run explicitly:
/// <c>scripts/benchmark-upload-latency.sh</c> (or dotnet test --filter "FullyQualifiedName~UploadLatencyBenchmark").
/// </summary>
[Category("Server")]
[Category("Benchmark")]
[Explicit("benchmark: a few minutes against three servers")]
[NonParallelizable]
public class UploadLatencyBenchmark
{
    private const int Rounds = 2;
    private const int SourceMiB = 24;
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(50);

    [Test]
    public async Task Sftp()
    {
        await using var server = await SshServerFixture.StartAsync("key", "duplatency");
        using var proxy = new LatencyProxy(server.Port, RoundTrip);
        var knownHosts = Path.Combine(server.WorkDir, "known_hosts_latency");
        File.WriteAllText(knownHosts, File.ReadAllText(server.KnownHosts).Replace($"]:{server.Port} ", $"]:{proxy.Port} ", StringComparison.Ordinal));
        await MeasureAsync("sftp", round => $"sftp://{server.User}@127.0.0.1:{proxy.Port}/latency/{round}",
            new Dictionary<string, string?> { ["HOME"] = server.ClientHome },
            [$"--ssh-options=-oIdentityFile={server.KeyEd25519}", $"--ssh-options=-oUserKnownHostsFile={knownHosts}"]);
    }

    [Test]
    public async Task S3()
    {
        await using var server = await S3rverServer.StartAsync("latency");
        using var proxy = new LatencyProxy(server.Port, RoundTrip);
        await MeasureAsync("s3 (s3rver)", round => $"boto3+s3://latency/{round}",
            new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = S3rverServer.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3rverServer.SecretKey },
            ["--s3-endpoint-url", $"http://127.0.0.1:{proxy.Port}", "--s3-region-name", "us-east-1"]);
    }

    [Test]
    public async Task Swift()
    {
        var servers = await SwiftTestServers.GetAsync();
        int swiftPort = new Uri(servers.ProxyUrl).Port, keystonePort = new Uri(servers.KeystoneUrl).Port;
        using var swiftProxy = new LatencyProxy(swiftPort, RoundTrip);
        using var keystoneProxy = new LatencyProxy(keystonePort, RoundTrip);
        keystoneProxy.RewriteDownstream($"127.0.0.1:{swiftPort}", $"127.0.0.1:{swiftProxy.Port}");
        var environment = servers.V3Environment();
        environment["SWIFT_AUTHURL"] = servers.KeystoneUrl.Replace($":{keystonePort}", $":{keystoneProxy.Port}", StringComparison.Ordinal);
        await MeasureAsync("swift (keystone)", round => $"swift://latency-{round}", environment, []);
    }

    private static async Task MeasureAsync(string what, Func<string, string> url, IReadOnlyDictionary<string, string?> environment, string[] options)
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("source");
        FaultSource.Create(source, SourceMiB);
        var seconds = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
        string? last = null;
        for (int round = 0; round < Rounds; round++)
        {
            foreach (bool asynchronous in new[] { false, true })
            {
                string name = $"r{round}-{(asynchronous ? "async" : "sync")}";
                last = url(name);
                var watch = Stopwatch.StartNew();
                var result = await ChildConsole.RunAsync(null, environment,
                    ["full", "--no-encryption", "--volsize", "2", "--archive-dir", tmp.Sub("cache"), "--name", name,
                     .. asynchronous ? new[] { "--asynchronous-upload" } : [], .. options, source, last], TimeSpan.FromMinutes(10));
                seconds[asynchronous].Add(watch.Elapsed.TotalSeconds);
                Assert.That(result.ExitCode, Is.Zero, result.StandardOutput + result.StandardError);
            }
        }
        var restore = await ChildConsole.RunAsync(null, environment,
            ["restore", "--no-encryption", "--archive-dir", tmp.Sub("restore-cache"), .. options, last!, tmp.Sub("restored")], TimeSpan.FromMinutes(10));
        Assert.That(restore.ExitCode, Is.Zero, restore.StandardOutput + restore.StandardError);
        Assert.That(TreeDifference.Between(source, tmp.Sub("restored")), Is.Null);

        double sync = seconds[false].Min(), async = seconds[true].Min();
        string Line(bool a) => string.Join(" / ", seconds[a].Select(s => s.ToString("F2", CultureInfo.InvariantCulture)));
        TestContext.Out.WriteLine(
            $"{what}, +{RoundTrip.TotalMilliseconds:F0} ms per round trip, {SourceMiB} MiB in 2 MiB volumes: " +
            $"one upload at a time {Line(false)} s; --asynchronous-upload {Line(true)} s; best {sync / async:F2}x faster");
        Assert.That(async, Is.LessThan(sync), "uploads in flight hide latency");
    }
}
