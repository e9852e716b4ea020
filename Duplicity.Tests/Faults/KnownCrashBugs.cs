namespace Duplicity.Tests.Faults;

/// <summary>
/// Crash points that reveal a product bug being fixed on another branch. The test still runs and asserts;
/// when it fails here it is reported as ignored with this reason (visible in every run), and once the fix
/// lands it simply passes.
/// </summary>
public static class KnownCrashBugs
{
    private static readonly Dictionary<string, string> Bugs = new()
    {
    };

    public static string? Reason(string scenarioAndPoint) => Bugs.GetValueOrDefault(scenarioAndPoint);
}
