namespace Duplicity.Tests.Support;

/// <summary>
/// The one rule for a test whose prerequisite (a tool, a server, a mount, root, a CPU feature) is
/// missing: ignored with its reason on a developer's machine, a failure when
/// <c>DUPLICITY_REQUIRE_SERVERS=1</c> (CI), so nothing is skipped silently where it must run.
/// </summary>
public static class Requirement
{
    /// <summary>True when a missing prerequisite must fail the test (CI sets DUPLICITY_REQUIRE_SERVERS=1).</summary>
    public static bool Strict => Environment.GetEnvironmentVariable("DUPLICITY_REQUIRE_SERVERS") == "1";

    /// <summary>Stops the test: Assert.Fail under <see cref="Strict"/>, Assert.Ignore otherwise.</summary>
    public static void Missing(string reason)
    {
        if (Strict) Assert.Fail(reason);
        Assert.Ignore(reason);
    }

    /// <summary>Stops the test via <see cref="Missing"/> unless <paramref name="condition"/> holds.</summary>
    public static void That(bool condition, string reasonWhenMissing)
    {
        if (!condition) Missing(reasonWhenMissing);
    }
}
