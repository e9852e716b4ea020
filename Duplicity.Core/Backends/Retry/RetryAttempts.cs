using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Retry;

/// <summary>
/// What happens after a failed attempt: either the wait before the next one (logged as a warning), or, once
/// <see cref="RetryOptions.NumRetries"/> attempts have failed, duplicity's "Giving up" error (code 50).
/// Shared by every retried operation and by downloads that resume after breaking off.
/// </summary>
internal sealed class RetryAttempts(RetryOptions options, TimeProvider timeProvider, ILogger logger, string backendName)
{
    /// <summary>Whether retrying may help after <paramref name="exception"/> and the caller still wants the result.</summary>
    public static bool ShouldRetry(Exception exception, CancellationToken cancellationToken) =>
        RetryingBackend.IsRetryable(exception) && !cancellationToken.IsCancellationRequested;

    /// <summary>
    /// After attempt number <paramref name="failedAttempt"/> (1-based) of <paramref name="what"/> failed with
    /// <paramref name="error"/>: waits the delay before the next attempt, or throws when none is left.
    /// </summary>
    /// <exception cref="BackendException">The attempts are used up (code <see cref="DuplicityErrorCode.BackendGaveUp"/>).</exception>
    public async Task WaitBeforeNextAsync(string what, int failedAttempt, Exception error, CancellationToken cancellationToken)
    {
        var text = $"{error.GetType().Name}: {BackendUrl.Redact(error.Message)}";
        if (failedAttempt >= options.NumRetries)
        {
            BackendLog.RetriesExhausted(logger, what, backendName, failedAttempt, text);
            var kind = error is BackendException backend ? backend.Kind : BackendErrorKind.Transient;
            throw new BackendException(kind, $"Giving up after {failedAttempt} attempts. {text}", error, DuplicityErrorCode.BackendGaveUp);
        }
        var delay = Jitter(options.DelayAfter(failedAttempt));
        BackendLog.AttemptFailed(logger, what, failedAttempt, backendName, text, delay);
        await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
    }

    private TimeSpan Jitter(TimeSpan delay)
    {
        var ratio = options.JitterRatio * Random.Shared.NextDouble();
        return TimeSpan.FromTicks((long)(delay.Ticks * (1 - ratio)));
    }
}
