using Duplicity.Backends;
using Duplicity.Backends.Azure;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Azure;

/// <summary>An Azure download reset mid-body continues with a ranged download (Azurite behind a relay that cuts it).</summary>
[Category("Server")]
[TestFixture]
[NonParallelizable]
public class AzureBrokenDownloadTests
{
    private AzuriteServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await AzuriteServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server != null) await _server.DisposeAsync();
    }

    [Test]
    public async Task ADownloadResetMidBodyComesBackWhole()
    {
        using var relay = new DownloadCuttingRelay(_server.Port);
        var environment = new Dictionary<string, string?>
        {
            ["AZURE_CONNECTION_STRING"] = _server.ConnectionString.Replace($":{_server.Port}/", $":{relay.Port}/", StringComparison.Ordinal),
        };
        await using var backend = AzureBackend.Open(BackendUrl.Parse("azure://resume"), new BackendOpenOptions { Environment = environment });
        var data = new byte[3 * 1024 * 1024];
        new Random(3).NextBytes(data);
        await backend.PutAsync("vol1", new MemoryStream(data));
        var log = new RecordingLoggerFactory();
        await using var retrying = new Duplicity.Backends.Retry.RetryingBackend(backend,
            new Duplicity.Backends.Retry.RetryOptions { NumRetries = 3, BackendRetryDelay = TimeSpan.Zero, JitterRatio = 0 }, loggerFactory: log, ownsInner: false);

        relay.CutAfter(1024 * 1024);
        await using var stream = await retrying.GetAsync("vol1");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);

        Assert.That(relay.Cuts, Is.EqualTo(1), "the relay cut the download");
        Assert.That(copy.ToArray(), Is.EqualTo(data), "nothing lost, nothing repeated");
        // The SDK's download stream continues a broken body with a ranged request of its own (up to 5 times,
        // whatever MaxRetries says), so the retrying backend's GetFromAsync path is the fallback behind it.
        Assert.That(log.EventIds, Has.No.Member(Duplicity.Diagnostics.DuplicityEventIds.BackendAttemptFailed));
    }
}
