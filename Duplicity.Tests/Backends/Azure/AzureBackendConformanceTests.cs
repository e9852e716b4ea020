using Duplicity.Backends;
using Duplicity.Backends.Azure;

namespace Duplicity.Tests.Backends.Azure;

/// <summary>The backend contract against a real Azure blob server (Azurite), each test in a fresh container.</summary>
[Category("Server")]
[TestFixture]
[NonParallelizable]
public class AzureBackendConformanceTests : BackendConformanceTests
{
    private AzuriteServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await AzuriteServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server != null) await _server.DisposeAsync();
    }

    protected override Task<IBackend> CreateBackendAsync() =>
        // 1 MiB single puts and 512 KiB blocks put the 5 MiB, failing-source and cancelled cases through the block path.
        Task.FromResult<IBackend>(_server.OpenBackend(AzuriteServer.NewContainerName(),
            new AzureBackendOptions { MaxSinglePutSize = 1024 * 1024, MaxBlockSize = 512 * 1024, MaxConnections = 3 }));
}
