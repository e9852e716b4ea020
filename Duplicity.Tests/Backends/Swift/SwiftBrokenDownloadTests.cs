using Duplicity.Backends;
using Duplicity.Backends.Swift;
using Duplicity.Tests.Backends.Retry;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Swift;

/// <summary>A Swift download reset mid-body continues with a ranged GET; both plain and large objects.</summary>
[Category("Server")]
[TestFixture]
public class SwiftBrokenDownloadTests
{
    private SwiftTestServers _servers = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync() => _servers = await SwiftTestServers.GetAsync();

    [TestCase(null)]
    [TestCase(512 * 1024L)]
    public async Task ADownloadResetMidBodyContinuesFromTheByteReached(long? segmentSize)
    {
        using var account = await SwiftAccount.LoginV1Async(_servers);
        var proxyPort = new Uri(_servers.ProxyUrl).Port;
        using var relay = new DownloadCuttingRelay(proxyPort);
        var env = new Dictionary<string, string?>
        {
            ["SWIFT_PREAUTHURL"] = account.StorageUrl.Replace($":{proxyPort}/", $":{relay.Port}/"),
            ["SWIFT_PREAUTHTOKEN"] = account.Token,
        };
        await using var backend = SwiftBackend.Open(BackendUrl.Parse($"swift://t{Guid.NewGuid():N}"), new BackendOpenOptions { Environment = env },
            new SwiftBackendOptions { SegmentSize = segmentSize });

        await BrokenDownloadCheck.RunAsync(backend, relay);
    }
}
