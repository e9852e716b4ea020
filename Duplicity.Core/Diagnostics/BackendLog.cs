using Microsoft.Extensions.Logging;

namespace Duplicity.Diagnostics;

/// <summary>Messages of backends and their retries: plain facts with typed values (see <see cref="DuplicityEventIds"/>).</summary>
internal static partial class BackendLog
{
    /// <param name="logger">The logger.</param>
    /// <param name="operation">The operation and the file it concerns.</param>
    /// <param name="backend">The backend's display name (its URL without secrets).</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="error">The last error: exception type and message, secrets redacted.</param>
    [LoggerMessage(EventId = DuplicityEventIds.BackendRetriesExhausted, Level = LogLevel.Error, Message = "Giving up on {Operation} on {Backend} after {Attempts} attempts. {Error}")]
    public static partial void RetriesExhausted(ILogger logger, string operation, string backend, int attempts, string error);

    /// <param name="logger">The logger.</param>
    /// <param name="operation">The operation and the file it concerns.</param>
    /// <param name="attempt">The number of the failed attempt.</param>
    /// <param name="backend">The backend's display name (its URL without secrets).</param>
    /// <param name="error">The error: exception type and message, secrets redacted.</param>
    /// <param name="delay">The wait before the next attempt.</param>
    [LoggerMessage(EventId = DuplicityEventIds.BackendAttemptFailed, Level = LogLevel.Warning, Message = "Attempt of {Operation} Nr. {Attempt} failed on {Backend}. {Error} Retrying in {Delay}.")]
    public static partial void AttemptFailed(ILogger logger, string operation, int attempt, string backend, string error, TimeSpan delay);

    /// <param name="logger">The logger.</param>
    /// <param name="scheme">The URL scheme.</param>
    /// <param name="backend">The backend's display name (its URL without secrets).</param>
    [LoggerMessage(EventId = DuplicityEventIds.BackendOpened, Level = LogLevel.Trace, Message = "Opened the {Scheme} backend {Backend}")]
    public static partial void Opened(ILogger logger, string scheme, string backend);
}
