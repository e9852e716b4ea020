using System.Diagnostics;

namespace Duplicity.Tests.Fuzzing;

/// <summary>
/// The time and allocation allowed for one input. Metered streams call <see cref="Check"/> on every
/// read, so a parser that loops or allocates without bound is stopped while it still reads; the
/// runner checks the totals again after the input and a watchdog catches loops that never read.
/// </summary>
internal sealed class FuzzBudget
{
    private readonly long _startAllocated;
    private readonly long _startTicks;

    public FuzzBudget(long maxAllocatedBytes, TimeSpan maxTime)
    {
        MaxAllocatedBytes = maxAllocatedBytes;
        MaxTime = maxTime;
        _startAllocated = GC.GetAllocatedBytesForCurrentThread();
        _startTicks = Stopwatch.GetTimestamp();
    }

    public long MaxAllocatedBytes { get; }

    public TimeSpan MaxTime { get; }

    /// <summary>Bytes allocated on this thread since the input started.</summary>
    public long Allocated => GC.GetAllocatedBytesForCurrentThread() - _startAllocated;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_startTicks);

    /// <exception cref="FuzzBudgetExceededException">The input is over its time or allocation budget.</exception>
    public void Check()
    {
        long allocated = Allocated;
        if (allocated > MaxAllocatedBytes)
            throw new FuzzBudgetExceededException($"allocated {allocated:N0} bytes (cap {MaxAllocatedBytes:N0})");
        if (Elapsed > MaxTime)
            throw new FuzzBudgetExceededException($"ran {Elapsed.TotalMilliseconds:F0} ms (budget {MaxTime.TotalMilliseconds:F0} ms)");
    }
}
