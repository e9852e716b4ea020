namespace Duplicity.Tests.Fuzzing;

/// <summary>Limits for a fuzzing run.</summary>
internal sealed record FuzzSettings
{
    /// <summary>Allocation allowed per input (on the executing thread).</summary>
    public long MaxAllocatedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Time allowed per input (generous: the machine is shared); metered reads stop an input that runs longer.</summary>
    public TimeSpan MaxInputTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>When the watchdog declares an input hung (it never returned to read or finish).</summary>
    public TimeSpan HangTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Stop at the first finding (CI) or keep going and group findings by cause (long runs).</summary>
    public bool StopAtFirstFinding { get; init; } = true;

    /// <summary>Folder where finding inputs are written, or null.</summary>
    public string? FindingsDirectory { get; init; }
}
