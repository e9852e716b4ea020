using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Duplicity.IO;
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
/// An upload is retried from where its content stream started: a seekable stream is rewound, any other is
/// first copied to a private temporary file. A listing is read completely within one attempt before its
/// items are handed out. A download that breaks off in the middle is opened again at the byte it reached
/// (<see cref="IBackend.GetFromAsync"/>) and continues, within the same number of attempts. Every logged or
/// thrown text passes through <see cref="BackendUrl.Redact"/>.
/// </remarks>
public sealed class RetryingBackend : DelegatingBackend
{
    private readonly RetryOptions _options;
    private readonly ILogger _logger;
    private readonly RetryAttempts _attempts;
    private readonly Lock _spoolLock = new();
    private PrivateTempDirectory? _spoolFolder;

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
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RetryingBackend>();
        _attempts = new RetryAttempts(_options, timeProvider ?? TimeProvider.System, _logger, inner.DisplayName);
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
    public override async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.CanSeek)
        {
            await PutRewindingAsync(name, content, cancellationToken).ConfigureAwait(false);
            return;
        }
        // A stream that cannot go back is kept aside first, so every attempt can send it again.
        var spool = await UploadSpool.CopyAsync(content, SpoolFolder(), cancellationToken).ConfigureAwait(false);
        await using (spool.ConfigureAwait(false))
            await PutRewindingAsync(name, spool, cancellationToken).ConfigureAwait(false);
    }

    private Task<bool> PutRewindingAsync(string name, Stream content, CancellationToken cancellationToken)
    {
        var start = content.Position;
        return RunAsync("put", name, async token =>
        {
            await Inner.PutAsync(name, content, token).ConfigureAwait(false);
            return true;
        }, beforeRetry: () => content.Position = start, cancellationToken);
    }

    /// <inheritdoc/>
    public override Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default) =>
        OpenResumingAsync(name, 0, cancellationToken);

    /// <inheritdoc/>
    public override Task<Stream> GetFromAsync(string name, long offset, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return OpenResumingAsync(name, offset, cancellationToken);
    }

    private async Task<Stream> OpenResumingAsync(string name, long offset, CancellationToken cancellationToken)
    {
        for (var failures = 0; ; )
        {
            try
            {
                var first = offset == 0
                    ? await Inner.GetAsync(name, cancellationToken).ConfigureAwait(false)
                    : await Inner.GetFromAsync(name, offset, cancellationToken).ConfigureAwait(false);
                // A seekable download is a local file: handed out as it is, so a reader can hash it in place.
                return first.CanSeek ? first : new ResumingDownloadStream(Inner, name, first, offset, failures, _attempts);
            }
            catch (Exception e) when (RetryAttempts.ShouldRetry(e, cancellationToken))
            {
                await _attempts.WaitBeforeNextAsync($"get '{name}'", ++failures, e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

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

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        lock (_spoolLock)
        {
            _spoolFolder?.Dispose();
            _spoolFolder = null;
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<T> RunAsync<T>(string operation, string? name, Func<CancellationToken, Task<T>> attempt,
        Action? beforeRetry, CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (RetryAttempts.ShouldRetry(e, cancellationToken))
            {
                await _attempts.WaitBeforeNextAsync(name is null ? operation : $"{operation} '{name}'", number, e, cancellationToken).ConfigureAwait(false);
            }
            beforeRetry?.Invoke();
        }
    }

    private PrivateTempDirectory SpoolFolder()
    {
        lock (_spoolLock)
            return _spoolFolder ??= PrivateTempDirectory.Create(_options.TempDirectory, _logger);
    }
}
