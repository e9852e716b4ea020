using Duplicity.Backends;
using Duplicity.Backends.S3;
using Duplicity.Tests.Backends.Retry;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.S3;

/// <summary>An S3 download reset mid-body continues with a ranged GET (s3rver).</summary>
[Category("Server")]
[TestFixture]
[NonParallelizable]
public class S3BrokenDownloadTests
{
    private S3rverServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await S3rverServer.StartAsync("main");

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server != null) await _server.DisposeAsync();
    }

    [Test]
    public async Task ADownloadResetMidBodyContinuesFromTheByteReached()
    {
        using var relay = new DownloadCuttingRelay(_server.Port);
        var options = _server.Options();
        options.EndpointUrl = $"http://127.0.0.1:{relay.Port}";
        // The SDK's own retries would hide the break; the retrying backend is what is under test.
        options.MaxErrorRetry = 0;
        await using var backend = S3Backend.Open(BackendUrl.Parse("boto3+s3://main/resume"), S3rverServer.OpenOptions(), options);

        await BrokenDownloadCheck.RunAsync(backend, relay);
    }
}
