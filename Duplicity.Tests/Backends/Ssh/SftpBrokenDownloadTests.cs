using Duplicity.Backends;
using Duplicity.Backends.Retry;
using Duplicity.Backends.Ssh;
using Duplicity.Tests.Backends.Retry;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Ssh;

/// <summary>An SFTP download whose connection is reset mid-file reconnects and reads on from the offset reached.</summary>
[Category("Server")]
[TestFixture]
public class SftpBrokenDownloadTests
{
    private SshServerFixture _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await SshServerFixture.StartAsync("key", "dupsshresume");

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server != null) await _server.DisposeAsync();
    }

    [Test]
    public Task ADownloadResetMidFileContinuesFromTheByteReached() => RunAsync(corrupt: false);

    /// <summary>A flipped bit fails SSH's MAC check; the session is closed and the download goes on over a new one.</summary>
    [Test]
    public Task ADownloadWithACorruptedPacketContinuesFromTheByteReached() => RunAsync(corrupt: true);

    /// <summary>
    /// Two downloads share one SSH session (a restore fetches volumes of several sets at once). When one
    /// of them meets the broken connection, the other's next read finds the session closed and SSH.NET
    /// throws InvalidOperationException ("The session is not open"): that must be a transient backend
    /// error like any lost connection, retried from the byte reached, not an internal error (exit 30,
    /// seen through the fault proxy in CI).
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public async Task TheOtherDownloadOnABrokenSessionContinuesFromTheByteReached(bool graceful)
    {
        using var relay = new DownloadCuttingRelay(_server.Port);
        await using var backend = OpenBehind(relay);
        var first = new byte[3 * 1024 * 1024];
        var second = new byte[3 * 1024 * 1024];
        new Random(1).NextBytes(first);
        new Random(2).NextBytes(second);
        await backend.PutAsync("duplicity-full.20260101T000000Z.vol1.difftar.gz", new MemoryStream(first));
        await backend.PutAsync("duplicity-full.20260101T000000Z.vol2.difftar.gz", new MemoryStream(second));
        var log = new RecordingLoggerFactory();
        await using var retrying = new RetryingBackend(backend,
            new RetryOptions { NumRetries = 3, BackendRetryDelay = TimeSpan.Zero, JitterRatio = 0 }, loggerFactory: log, ownsInner: false);

        await using var a = await retrying.GetAsync("duplicity-full.20260101T000000Z.vol1.difftar.gz");
        await using var b = await retrying.GetAsync("duplicity-full.20260101T000000Z.vol2.difftar.gz");
        var copyA = new MemoryStream();
        var copyB = new MemoryStream();
        var buffer = new byte[64 * 1024];
        await ReadSomeAsync(a, copyA, buffer, 256 * 1024);
        await ReadSomeAsync(b, copyB, buffer, 256 * 1024);
        relay.CutAfter(0, graceful);
        // Let the read-ahead's answers in flight arrive and the session notice the end before reading on.
        await ReadSomeAsync(b, copyB, buffer, 288 * 1024);
        await Task.Delay(500);
        await a.CopyToAsync(copyA);
        await b.CopyToAsync(copyB);

        Assert.That(relay.Cuts, Is.EqualTo(1), "the relay cut the session");
        Assert.That(copyA.ToArray(), Is.EqualTo(first), "first download whole");
        Assert.That(copyB.ToArray(), Is.EqualTo(second), "second download whole");
        Assert.That(log.Warnings, Has.All.Match(@"get '[^']+' from byte [1-9]\d*"), "each continued from where it broke");
    }

    private static async Task ReadSomeAsync(Stream from, Stream to, byte[] buffer, int bytes)
    {
        while (to.Length < bytes)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, bytes - to.Length)));
            if (read == 0) throw new EndOfStreamException();
            await to.WriteAsync(buffer.AsMemory(0, read));
        }
    }

    private SftpBackend OpenBehind(DownloadCuttingRelay relay)
    {
        // The relay is the same host on another port: trust the server's keys there too.
        var knownHosts = Path.Combine(_server.WorkDir, $"known_hosts_relay{relay.Port}");
        File.WriteAllLines(knownHosts, File.ReadAllLines(_server.KnownHosts).Select(line => line.Replace($"]:{_server.Port} ", $"]:{relay.Port} ")));
        var options = _server.Options(_server.KeyEd25519);
        options.KnownHostsFile = knownHosts;
        var url = $"sftp://{_server.User}@127.0.0.1:{relay.Port}/resume";
        return SftpBackend.Open(BackendUrl.Parse(url), _server.OpenOptions(), options);
    }

    private async Task RunAsync(bool corrupt)
    {
        using var relay = new DownloadCuttingRelay(_server.Port);
        await using var backend = OpenBehind(relay);
        await BrokenDownloadCheck.RunAsync(backend, relay, corrupt: corrupt);
    }
}
