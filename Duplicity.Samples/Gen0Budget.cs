namespace Duplicity.Samples;

/// <summary>
/// Holds the memory that fresh allocations take between collections near a fixed budget. The runtime
/// sizes that budget from the CPU's last-level cache (four fifths of it); virtual machines that report
/// a cache of hundreds of MiB make every run of a streaming backup look hundreds of MiB large, although
/// what it keeps alive is small. The budget can be set only by the DOTNET_GCgen0size environment
/// variable, which a tool cannot set for itself, so a timer starts a young-generation collection once
/// that much has been allocated since the last one. Set DOTNET_GCgen0size to leave the runtime's own
/// budget in charge.
/// </summary>
internal static class Gen0Budget
{
    private const long Budget = 24L * 1024 * 1024;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);
    private static Timer? _timer;
    private static long _allocatedAtLastCollection;
    private static int _lastCollectionCount;

    public static void Start()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is { Length: > 0 }) return;
        _timer = new Timer(Check, null, Interval, Interval);
    }

    private static void Check(object? state)
    {
        int count = GC.CollectionCount(0);
        long allocated = GC.GetTotalAllocatedBytes(precise: false);
        if (count != _lastCollectionCount)
        {
            // The runtime collected on its own: measure from here.
            _lastCollectionCount = count;
            _allocatedAtLastCollection = allocated;
            return;
        }
        if (allocated - _allocatedAtLastCollection < Budget) return;
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        _lastCollectionCount = GC.CollectionCount(0);
        _allocatedAtLastCollection = allocated;
    }
}
