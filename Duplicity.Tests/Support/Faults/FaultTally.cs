namespace Duplicity.Tests.Support.Faults;

/// <summary>
/// Counts the faults the tests really injected (a crash point reached, a proxy fault fired, a local error
/// raised), by kind, and the backups that reported success but did not restore identical ("lost"), for
/// the one summary line of the run (<see cref="Duplicity.Tests.Faults.FaultSummary"/>).
/// </summary>
public static class FaultTally
{
    private static long _crash, _proxy, _local, _lost;

    public static long Crash => Interlocked.Read(ref _crash);
    public static long Proxy => Interlocked.Read(ref _proxy);
    public static long Local => Interlocked.Read(ref _local);
    public static long Lost => Interlocked.Read(ref _lost);
    public static long Total => Crash + Proxy + Local;

    public static void CountCrash() => Interlocked.Increment(ref _crash);
    public static void CountProxy(long faults = 1) => Interlocked.Add(ref _proxy, faults);
    public static void CountLocal(long faults = 1) => Interlocked.Add(ref _local, faults);

    /// <summary>A backup that reported success and did not restore identical: counted, then the test fails on it.</summary>
    public static void CountLost() => Interlocked.Increment(ref _lost);

    public static string Summary() => $"Faults: {Total} injected (crash {Crash}, proxy {Proxy}, local {Local}), {Lost} lost";
}
