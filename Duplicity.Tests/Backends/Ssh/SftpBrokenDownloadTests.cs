using Duplicity.Backends;
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
    public async Task ADownloadResetMidFileContinuesFromTheByteReached()
    {
        using var relay = new DownloadCuttingRelay(_server.Port);
        // The relay is the same host on another port: trust the server's keys there too.
        var knownHosts = Path.Combine(_server.WorkDir, "known_hosts_relay");
        File.WriteAllLines(knownHosts, File.ReadAllLines(_server.KnownHosts).Select(line => line.Replace($"]:{_server.Port} ", $"]:{relay.Port} ")));
        var options = _server.Options(_server.KeyEd25519);
        options.KnownHostsFile = knownHosts;
        var url = $"sftp://{_server.User}@127.0.0.1:{relay.Port}/resume";
        await using var backend = SftpBackend.Open(BackendUrl.Parse(url), _server.OpenOptions(), options);

        await BrokenDownloadCheck.RunAsync(backend, relay);
    }
}
