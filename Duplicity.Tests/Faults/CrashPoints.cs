namespace Duplicity.Tests.Faults;

/// <summary>What ran before the crash, and which command was killed.</summary>
public enum CrashScenario
{
    /// <summary>A multi-volume <c>full</c> into an empty backend.</summary>
    Full,
    /// <summary>A multi-volume <c>incremental</c> on top of a full.</summary>
    Incremental,
    /// <summary>An <c>incremental</c> with an empty archive dir, killed while it syncs the cache from the backend.</summary>
    CacheSync,
    /// <summary><c>remove-all-but-n-full 1 --force</c> on two fulls, killed between deletions.</summary>
    Retention,
}

/// <summary>
/// The crash points: <c>op:kind:n:when</c> for the console's test-only hook (see
/// Duplicity.Samples/TestHooks/CrashPoint.cs). The full writes 6 volumes of about 1 MiB, the incremental 3.
/// </summary>
public static class CrashPoints
{
    public const int FullVolumes = 6, IncrementalVolumes = 3;

    public static IEnumerable<TestCaseData> All()
    {
        foreach (var (scenario, spec) in Points())
            yield return new TestCaseData(scenario, spec).SetName($"{scenario} killed at {spec}");
    }

    /// <summary>A few points also checked with the real duplicity (it is slow to start, so only a sample).</summary>
    public static readonly IReadOnlySet<string> CheckedWithDuplicity = new HashSet<string>
    {
        "Full put:difftar:3:bytes=300000", "Full put:manifest:1:before", "Incremental put:manifest:1:after", "Retention delete:any:3:after",
    };

    private static IEnumerable<(CrashScenario, string)> Points()
    {
        // By volume count and by bytes: before a volume, in its middle, after it.
        for (int v = 1; v <= FullVolumes; v++)
            foreach (var when in new[] { "before", "bytes=300000", "after" })
                yield return (CrashScenario.Full, $"put:difftar:{v}:{when}");
        yield return (CrashScenario.Full, "put:difftar:1:bytes=1");
        yield return (CrashScenario.Full, "put:difftar:4:bytes=1000000");
        // During the signature and manifest stores.
        foreach (var kind in new[] { "sigtar", "manifest" })
            foreach (var when in new[] { "before", "bytes=1", "bytes=500", "after" })
                yield return (CrashScenario.Full, $"put:{kind}:1:{when}");

        for (int v = 1; v <= IncrementalVolumes; v++)
            foreach (var when in new[] { "before", "bytes=500000", "after" })
                yield return (CrashScenario.Incremental, $"put:difftar:{v}:{when}");
        foreach (var kind in new[] { "sigtar", "manifest" })
            foreach (var when in new[] { "before", "bytes=1", "bytes=500", "after" })
                yield return (CrashScenario.Incremental, $"put:{kind}:1:{when}");

        // During cache sync: fetching the full's manifest and signatures into an empty archive dir.
        foreach (var kind in new[] { "manifest", "sigtar" })
            foreach (var when in new[] { "before", "bytes=1", "bytes=200", "after" })
                yield return (CrashScenario.CacheSync, $"get:{kind}:1:{when}");

        // During retention: the older full has 6 volumes, a manifest and signatures (8 files).
        foreach (var n in new[] { 1, 3, 8 })
            foreach (var when in new[] { "before", "after" })
                yield return (CrashScenario.Retention, $"delete:any:{n}:{when}");
    }
}
