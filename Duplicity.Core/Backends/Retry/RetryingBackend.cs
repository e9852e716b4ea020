using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Backends.Retry;

/// <summary>
/// Retries failed backend calls the way duplicity does (<c>--num-retries</c>, <c>--backend-retry-delay</c>),
/// with exponential backoff and jitter. Only failures that may pass are retried:
/// <see cref="BackendErrorKind.Transient"/> <see cref="BackendException"/>s, <see cref="IOException"/>,
/// <see cref="SocketException"/> and <see cref="TimeoutException"/>; anything else (not found, permission
/// denied, permanent, no space, cancellation) is thrown at once, unchanged. When the last attempt fails,
/// a <see cref="BackendException"/> with code 50 and duplicity's text
/// <c>Giving up after N attempts. Type: message</c> is thrown.
/// </summary>
/// <remarks>
/// An upload is retried only when its content stream can seek: it is rewound to where the first attempt
/// started. A listing is read completely within one attempt before its items are handed out. A download
/// retries opening the file, not reading it. Every logged or thrown text passes through
/// <see cref="BackendUrl.Redact"/>.
/// </remarks>
public sealed class RetryingBackend : DelegatingBackend
{
    private readonly RetryOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The backend whose calls are retried.</param>
    /// <param name="options">Attempts and delays; defaults to duplicity's (5 attempts, 30 s).</param>
    /// <param name="timeProvider">The clock the waits use; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Receives a warning per failed attempt.</param>
    /// <param name="ownsInner">Whether disposing this decorator disposes <paramref name="inner"/>.</param>
    public RetryingBackend(IBackend inner, RetryOptions? options = null, TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null, bool ownsInner = true)
        : base(inner, ownsInner)
    {
        _options = options ?? new RetryOptions();
        _options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RetryingBackend>();
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<BackendFileInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var files = await RunAsync("list", null, async token =>
        {
            var result = new List<BackendFileInfo>();
            await foreach (var file in Inner.ListAsync(token).ConfigureAwait(false))
                result.Add(file);
            return result;
        }, beforeRetry: null, cancellationToken).ConfigureAwait(false);
        foreach (var file in files)
            yield return file;
    }

    /// <inheritdoc/>
    public override Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        // A stream that cannot go back cannot be sent again.
        if (!content.CanSeek)
            return Inner.PutAsync(name, content, cancellationToken);
        var start = content.Position;
        return RunAsync("put", name, async token =>
        {
            await Inner.PutAsync(name, content, token).ConfigureAwait(false);
            return true;
        }, beforeRetry: () => content.Position = start, cancellationToken);
    }

    /// <inheritdoc/>
    public override Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default) =>
        RunAsync("get", name, token => Inner.GetAsync(name, token), beforeRetry: null, cancellationToken);

    /// <inheritdoc/>
    public override Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        return RunAsync("delete", null, async token =>
        {
            await Inner.DeleteAsync(names, token).ConfigureAwait(false);
            return true;
        }, beforeRetry: null, cancellationToken);
    }

    /// <summary>Whether retrying may help after <paramref name="exception"/>.</summary>
    /// <param name="exception">The failure of an attempt.</param>
    public static bool IsRetryable(Exception exception) => exception switch
    {
        BackendException backend => backend.Kind == BackendErrorKind.Transient,
        OperationCanceledException => false,
        IOException or SocketException or TimeoutException => true,
        _ => false,
    };

    private async Task<T> RunAsync<T>(string operation, string? name, Func<CancellationToken, Task<T>> attempt,
        Action? beforeRetry, CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            TimeSpan delay;
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsRetryable(e) && !cancellationToken.IsCancellationRequested)
            {
                var what = name is null ? operation : $"{operation} '{name}'";
                var error = $"{e.GetType().Name}: {BackendUrl.Redact(e.Message)}";
                if (number >= _options.NumRetries)
                {
                    BackendLog.RetriesExhausted(_logger, what, DisplayName, number, error);
                    var kind = e is BackendException backend ? backend.Kind : BackendErrorKind.Transient;
                    throw new BackendException(kind, $"Giving up after {number} attempts. {error}", e, DuplicityErrorCode.BackendGaveUp);
                }
                delay = Jitter(_options.DelayAfter(number));
                BackendLog.AttemptFailed(_logger, what, number, DisplayName, error, delay);
            }
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            beforeRetry?.Invoke();
        }
    }

    private TimeSpan Jitter(TimeSpan delay)
    {
        var ratio = _options.JitterRatio * Random.Shared.NextDouble();
        return TimeSpan.FromTicks((long)(delay.Ticks * (1 - ratio)));
    }
}
