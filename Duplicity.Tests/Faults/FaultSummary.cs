using Duplicity.Tests.Backends.Swift;
using Duplicity.Tests.Support.Faults;

namespace Duplicity.Tests.Faults;

/// <summary>Prints the one line of fault counts after the last fault test, and stops the Swift servers they used.</summary>
[SetUpFixture]
public sealed class FaultSummary
{
    [OneTimeTearDown]
    public async Task PrintSummaryAsync()
    {
        TestContext.Progress.WriteLine(FaultTally.Summary());
        await SwiftTestServers.StopAsync();
    }
}
