using Duplicity.Backends;

namespace Duplicity.Tests.Backends.S3;

/// <summary>The backend contract against a real S3 server (s3rver), each test under a fresh key prefix.</summary>
[Category("Server")]
[TestFixture]
[NonParallelizable]
public class S3BackendConformanceTests : BackendConformanceTests
{
    private S3rverServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await S3rverServer.StartAsync("conformance");

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server != null) await _server.DisposeAsync();
    }

    protected override Task<IBackend> CreateBackendAsync() =>
        // A 4 MiB chunk puts the 5 MiB and failing-source cases through the multipart path too.
        Task.FromResult<IBackend>(_server.OpenBackend("conformance", $"run/{Guid.NewGuid():N}", _server.Options(chunkSize: 4 * 1024 * 1024)));
}
