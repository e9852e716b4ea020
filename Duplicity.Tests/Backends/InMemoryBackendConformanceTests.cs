using Duplicity.Backends;

namespace Duplicity.Tests.Backends;

[Category("Unit")]
[TestFixture]
public class InMemoryBackendConformanceTests : BackendConformanceTests
{
    protected override Task<IBackend> CreateBackendAsync() => Task.FromResult<IBackend>(new InMemoryBackend());
}
