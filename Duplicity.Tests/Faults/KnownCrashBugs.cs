namespace Duplicity.Tests.Faults;

/// <summary>
/// Crash points that reveal a product bug being fixed on another branch (issue 12). The test still runs
/// and asserts; when it fails at such a point it is reported as ignored with this reason (visible in every
/// run), and once the fix lands it simply passes.
/// </summary>
public static class KnownCrashBugs
{
    private const string WedgedChain =
        "issue 12 (commit order/resume, branch resume): an incremental killed after its first volume reached the backend and " +
        "before its manifest leaves an incomplete set that collection status puts into the chain; the next `incremental` " +
        "exits 17 (\"Old signatures not found and incremental specified\") until `cleanup`.";

    private const string PartialSignaturesInCache =
        "issue 12 (commit order/resume, branch resume): an incremental killed right after its signatures were stored, " +
        "before the manifest, leaves duplicity-new-signatures…sigtar.part in the archive dir; the next run neither " +
        "downloads the stored signatures nor ignores the .part, and exits 30 (FileNotFoundException).";

    private const string SyncTempFileTakenForCachedFile =
        "issue 12 (durability, branch durability): a cache sync killed while downloading signatures leaves " +
        "<name>.sync-<guid> in the archive dir; RemoteFileName.TryParse reads it as the cached signatures, so the next " +
        "run skips the download and exits 30 (FileNotFoundException). Dot-prefixed temporary names should fix it.";

    public static string? Reason(CrashScenario scenario, string point) => (scenario, point) switch
    {
        (CrashScenario.Incremental, "put:sigtar:1:after") => PartialSignaturesInCache,
        (CrashScenario.Incremental, "put:difftar:1:before" or "put:difftar:1:bytes=500000") => null,
        (CrashScenario.Incremental, "put:manifest:1:after") => null,
        (CrashScenario.Incremental, _) => WedgedChain,
        (CrashScenario.CacheSync, _) when point.StartsWith("get:sigtar:1:bytes=", StringComparison.Ordinal) => SyncTempFileTakenForCachedFile,
        _ => null,
    };
}
