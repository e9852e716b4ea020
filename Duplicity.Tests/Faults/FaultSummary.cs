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
        var summary = FaultTally.Summary();
        TestContext.Progress.WriteLine(summary);
        // dotnet test shows no progress output at its default verbosity: scripts/test.sh prints this file.
        await File.WriteAllTextAsync(Path.Combine(TestContext.CurrentContext.WorkDirectory, "fault-summary.txt"), summary + "\n");
        await SwiftTestServers.StopAsync();
    }
}
