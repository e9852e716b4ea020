using System.Collections.Concurrent;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Ftp;

/// <summary>
/// FTP storage for <c>ftp://</c>, <c>ftps://</c> (implicit TLS) and <c>ftpes://</c> (explicit TLS) over a small
/// client of its own (sockets and <see cref="SslStream"/>, no external program): passive (EPSV, then PASV) or
/// active data connections, MLSD or NLST listings, REST for downloads that start mid-file.
/// </summary>
/// <remarks>
/// An upload goes to a temporary name (<see cref="UploadTempName"/>) and is renamed into place (RNFR/RNTO) once
/// the server confirmed it whole, so a broken upload never leaves a partial file under the final name.
/// Each concurrent operation uses its own logged-in connection; a few are kept open between operations.
/// </remarks>
public sealed class FtpBackend : IBackend
{
    // An idle connection unused for this long is checked with NOOP before it is used again.
    private static readonly TimeSpan CheckIdleAfter = TimeSpan.FromSeconds(2);

    private readonly FtpLocation _location;
    private readonly FtpBackendOptions _options;
    private readonly SslClientAuthenticationOptions? _tls;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FtpPassiveState _passive = new();
    private readonly ConcurrentStack<FtpSession> _idle = new();
    private volatile bool _disposed;

    private FtpBackend(FtpLocation location, FtpBackendOptions options, BackendOpenOptions context)
    {
        _location = location;
        _options = options;
        _tls = FtpCertificateValidation.Create(location, options);
        _logger = context.LoggerFactory.CreateLogger<FtpBackend>();
        _time = context.TimeProvider;
    }

    /// <summary>
    /// Opens an FTP backend for a duplicity URL: <c>ftp://[user[:password]@]host[:port]/folder</c>, <c>ftps://</c>
    /// (TLS from the first byte, port 990 by default, as lftp and so duplicity 0.8 read it), <c>ftpes://</c> (AUTH TLS
    /// on port 21), each also with an <c>lftp+</c> prefix. The folder is below the login folder; <c>//</c> makes it
    /// absolute. The password comes from the URL, else from <c>FTP_PASSWORD</c> in
    /// <see cref="BackendOpenOptions.Environment"/>. Nothing is sent before the first operation.
    /// </summary>
    /// <param name="url">The backend URL.</param>
    /// <param name="openOptions">Environment (FTP_PASSWORD), logging and clock; null for the defaults.</param>
    /// <param name="options">duplicity's FTP settings (passive or active, CA file, timeout); null for the defaults.</param>
    public static FtpBackend Open(BackendUrl url, BackendOpenOptions? openOptions = null, FtpBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        openOptions ??= new BackendOpenOptions();
        options ??= new FtpBackendOptions();
        options.Validate();
        return new FtpBackend(FtpLocation.From(url, openOptions), options, openOptions);
    }

    /// <inheritdoc />
    public string DisplayName => _location.DisplayName;

    /// <summary>How the connections are protected.</summary>
    public FtpSecurity Security => _location.Security;

    /// <inheritdoc />
    public async IAsyncEnumerable<BackendFileInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var files = await RunAsync(s => s.ListAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        foreach (var file in files)
            yield return file;
    }

    /// <inheritdoc />
    public async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();
        var temporary = UploadTempName.Create(name);
        var stored = false;
        try
        {
            await RunAsync(async s =>
            {
                await s.StoreAsync(temporary, content, cancellationToken).ConfigureAwait(false);
                stored = true;
                await s.RenameAsync(temporary, name, cancellationToken).ConfigureAwait(false);
                stored = false;
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            // STOR may have created the temporary file before failing; a new connection removes it.
            await DeleteTemporaryAsync(temporary, stored).ConfigureAwait(false);
            if (e is SourceFailure { InnerException: { } inner })
                ExceptionDispatchInfo.Capture(inner).Throw();
            throw;
        }
    }

    /// <inheritdoc />
    public Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default) => GetFromAsync(name, 0, cancellationToken);

    /// <summary>Opens a file for reading from byte <paramref name="offset"/> on (REST, then RETR).</summary>
    /// <param name="name">The file name; see <see cref="BackendFileName.Validate"/>.</param>
    /// <param name="offset">The first byte to read; at or past the end of the file gives an empty stream.</param>
    /// <param name="cancellationToken">Cancels opening the file.</param>
    /// <returns>A readable stream whose first byte is byte <paramref name="offset"/> of the file.</returns>
    /// <exception cref="BackendException">With <see cref="BackendErrorKind.NotFound"/> when no such file exists.</exception>
    public async Task<Stream> GetFromAsync(string name, long offset, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var session = await RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var channel = await session.RetrieveAsync(name, offset, cancellationToken).ConfigureAwait(false);
            return new FtpDownloadStream(channel, session, name, ReleaseAsync, DisplayName);
        }
        catch (Exception e)
        {
            await ReleaseAsync(session, healthy: e is BackendException && !session.IsBroken).ConfigureAwait(false);
            throw Translate(e, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
            BackendFileName.Validate(name);
        if (names.Count == 0)
            return;
        await RunAsync(async s =>
        {
            foreach (var name in names)
                await s.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one operation on a pooled session; connection failures become transient <see cref="BackendException"/>s.</summary>
    private async Task<T> RunAsync<T>(Func<FtpSession, Task<T>> operation, CancellationToken cancellationToken)
    {
        var session = await RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await operation(session).ConfigureAwait(false);
            await ReleaseAsync(session, healthy: true).ConfigureAwait(false);
            return result;
        }
        catch (Exception e)
        {
            // A refusal leaves the connection usable; anything else (timeout, cancel, drop, a source failure mid-STOR) does not.
            await ReleaseAsync(session, healthy: e is BackendException && !session.IsBroken).ConfigureAwait(false);
            throw Translate(e, cancellationToken);
        }
    }

    private Exception Translate(Exception e, CancellationToken cancellationToken)
    {
        if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            return e;
        return FtpErrors.IsConnectionFailure(e) ? FtpErrors.FromConnection(e, DisplayName) : e;
    }

    private async Task<FtpSession> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        while (_idle.TryPop(out var idle))
        {
            if (_time.GetElapsedTime(idle.IdleSince) < CheckIdleAfter || await idle.IsAliveAsync(cancellationToken).ConfigureAwait(false))
                return idle;
            await idle.DisposeAsync().ConfigureAwait(false);
        }
        try
        {
            return await FtpSession.OpenAsync(_location, _options, _tls, _logger, _time, _passive, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Translate(e, cancellationToken);
        }
    }

    private async ValueTask ReleaseAsync(FtpSession session, bool healthy)
    {
        if (healthy && !session.IsBroken && !_disposed && _idle.Count < _options.MaxIdleConnections)
        {
            session.IdleSince = _time.GetTimestamp();
            _idle.Push(session);
            return;
        }
        if (healthy && !session.IsBroken)
            await session.QuitAsync().ConfigureAwait(false);
        await session.DisposeAsync().ConfigureAwait(false);
    }

    private async Task DeleteTemporaryAsync(string temporary, bool known)
    {
        try
        {
            using var bounded = new CancellationTokenSource(_options.Timeout == Timeout.InfiniteTimeSpan ? TimeSpan.FromSeconds(30) : _options.Timeout);
            var session = await FtpSession.OpenAsync(_location, _options, _tls, _logger, _time, _passive, bounded.Token).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                await session.DeleteAsync(temporary, bounded.Token).ConfigureAwait(false);
                await session.QuitAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (FtpErrors.IsConnectionFailure(e) || e is BackendException or OperationCanceledException)
        {
            // Listings never show temporary names, and the next cleanup deletes them.
            if (known)
                FtpLog.TemporaryFileLeft(_logger, temporary, e.Message);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryPop(out var session))
        {
            await session.QuitAsync().ConfigureAwait(false);
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
