namespace Duplicity.Backends.Retry;

/// <summary>
/// How <see cref="RetryingBackend"/> retries: duplicity's <c>--num-retries</c> and
/// <c>--backend-retry-delay</c>, with exponential backoff and jitter on top.
/// </summary>
public sealed class RetryOptions
{
    /// <summary>
    /// How many times an operation is tried in total (duplicity's <c>--num-retries</c>, default 5).
    /// 1 means no retry.
    /// </summary>
    public int NumRetries { get; init; } = 5;

    /// <summary>The wait before the first retry (duplicity's <c>--backend-retry-delay</c>, default 30 seconds).</summary>
    public TimeSpan BackendRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether each further wait doubles (30 s, 60 s, 120 s, ...) up to <see cref="MaxDelay"/>. Default true;
    /// false waits <see cref="BackendRetryDelay"/> every time, as duplicity does.
    /// </summary>
    public bool ExponentialBackoff { get; init; } = true;

    /// <summary>The longest single wait. Default 5 minutes.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Up to this fraction of each wait is taken off at random, so many clients that failed together do not
    /// retry together. Default 0.2; 0 gives exact waits.
    /// </summary>
    public double JitterRatio { get; init; } = 0.2;

    /// <summary>
    /// Where an upload whose content stream cannot rewind is copied first, so it can be sent again (duplicity's
    /// <c>--tempdir</c>). Null (the default): <c>TMPDIR</c>, else the system temp folder. A private folder
    /// (0700) is made in it and removed when the backend is disposed.
    /// </summary>
    public string? TempDirectory { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is out of range.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(NumRetries, 1, nameof(NumRetries));
        ArgumentOutOfRangeException.ThrowIfLessThan(BackendRetryDelay, TimeSpan.Zero, nameof(BackendRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, TimeSpan.Zero, nameof(MaxDelay));
        if (JitterRatio is < 0 or > 1 || double.IsNaN(JitterRatio))
            throw new ArgumentOutOfRangeException(nameof(JitterRatio), JitterRatio, "JitterRatio must be between 0 and 1.");
    }

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based), before jitter.</summary>
    internal TimeSpan DelayAfter(int attempt)
    {
        if (!ExponentialBackoff)
            return BackendRetryDelay < MaxDelay ? BackendRetryDelay : MaxDelay;
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var ticks = Math.Min(BackendRetryDelay.Ticks * factor, MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
