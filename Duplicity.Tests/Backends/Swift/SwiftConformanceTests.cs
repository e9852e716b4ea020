using Duplicity.Backends;
using Duplicity.Backends.Swift;

namespace Duplicity.Tests.Backends.Swift;

/// <summary>The backend contract against Swift with Keystone v3 auth, under a two-level prefix.</summary>
[Category("Server")]
[TestFixture]
public class SwiftKeystoneConformanceTests : BackendConformanceTests
{
    protected override async Task<IBackend> CreateBackendAsync()
    {
        var servers = await SwiftTestServers.GetAsync();
        // A fresh container per test, created by the backend on first upload.
        return SwiftBackend.Open(BackendUrl.Parse($"swift://ks{Guid.NewGuid():N}/some/prefix"),
            new BackendOpenOptions { Environment = servers.V3Environment() });
    }
}

/// <summary>
/// The backend contract against Swift with tempauth (v1), no prefix, and a 1 MiB segment size so every
/// file above 1 MiB goes through the Static Large Object path.
/// </summary>
[Category("Server")]
[TestFixture]
public class SwiftTempAuthSegmentedConformanceTests : BackendConformanceTests
{
    protected override async Task<IBackend> CreateBackendAsync()
    {
        var servers = await SwiftTestServers.GetAsync();
        return SwiftBackend.Open(BackendUrl.Parse($"swift://ta{Guid.NewGuid():N}"),
            new BackendOpenOptions { Environment = servers.V1Environment() },
            new SwiftBackendOptions { SegmentSize = 1024 * 1024 });
    }
}
