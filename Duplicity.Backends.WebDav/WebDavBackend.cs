using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.WebDav;

/// <summary>
/// WebDAV storage for <c>webdav://[user[:password]@]host[:port]/path</c> (HTTP) and <c>webdavs://</c> (HTTPS),
/// over plain <see cref="HttpClient"/>: Basic and Digest authentication, missing folders created level by level
/// with MKCOL, listings by a streamed PROPFIND (Depth 1), uploads to a temporary name renamed into place with
/// MOVE, ranged GETs, DELETE.
/// </summary>
/// <remarks>
/// A PUT is visible under its name as soon as it starts on most servers, so every upload goes to a temporary
/// name (<see cref="UploadTempName"/>, left out of listings) and is moved over the final name only when complete:
/// a crashed upload never leaves half a file under the final name, and a previous file of that name stays intact.
/// </remarks>
public sealed class WebDavBackend : IBackend
{
    private const int BodyBufferSize = 256 * 1024;
    private const int MaxListPages = 100_000;

    // Only the resource type and size: the smallest answer per file.
    private const string ListBody =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:resourcetype/><D:getcontentlength/></D:prop></D:propfind>";

    /// <summary>The URL schemes this backend opens: duplicity's <c>webdav</c>, <c>webdavs</c> and their aliases <c>http</c>, <c>https</c>.</summary>
    internal static readonly string[] Schemes = ["webdav", "webdavs", "http", "https"];

    private static readonly HttpMethod Propfind = new("PROPFIND");
    private static readonly HttpMethod Mkcol = new("MKCOL");
    private static readonly HttpMethod Move = new("MOVE");

    private readonly HttpClient _http;
    private readonly WebDavLocation _location;
    private readonly WebDavAuthenticator _auth;
    private readonly WebDavBackendOptions _options;
    private readonly ILogger _logger;
    private readonly object _folderLock = new();
    private Task? _folderReady;

    private WebDavBackend(string displayName, WebDavLocation location, WebDavAuthenticator auth, WebDavBackendOptions options,
        BackendOpenOptions context, HttpClient http)
    {
        DisplayName = displayName;
        _location = location;
        _auth = auth;
        _options = options;
        _logger = context.LoggerFactory.CreateLogger<WebDavBackend>();
        _http = http;
        WebDavLog.Opened(_logger, location.Authority, location.FolderPath, auth.User);
    }

    /// <inheritdoc />
    public string DisplayName { get; }

    /// <summary>The URI of the folder the files are stored in (ending in <c>/</c>, without credentials).</summary>
    public Uri FolderUri => _location.FolderUri;

    /// <summary>
    /// Opens a backend for a <c>webdav://</c>, <c>webdavs://</c>, <c>http://</c> or <c>https://</c> URL. The user
    /// comes from the URL; the password from the URL, else <c>FTP_PASSWORD</c> of
    /// <paramref name="openOptions"/>, as duplicity takes them. Nothing is contacted until the first operation.
    /// </summary>
    /// <param name="url">The parsed URL; empty path parts are folded as duplicity does.</param>
    /// <param name="openOptions">Supplies the environment, the logger factory and, optionally, the HTTP handler.</param>
    /// <param name="options">Trusted CA certificates and timeouts; defaults when null.</param>
    /// <exception cref="BackendException">The URL has no host or another scheme, or a CA file or folder is unreadable
    /// or holds no certificate, or CA options are given together with a host HTTP handler (which decides certificates).</exception>
    public static WebDavBackend Open(BackendUrl url, BackendOpenOptions openOptions, WebDavBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(openOptions);
        options ??= new WebDavBackendOptions();
        var secure = url.Scheme switch
        {
            "webdav" or "http" => false,
            "webdavs" or "https" => true,
            _ => throw new BackendException(BackendErrorKind.Permanent, $"WebDAV Unknown URI scheme: {url.Scheme}"),
        };
        if (url.Host is null)
            throw new BackendException(BackendErrorKind.Permanent, $"No WebDAV host in {url}.");
        var server = new UriBuilder(secure ? "https" : "http", url.Host, url.Port ?? -1, "/").Uri;
        // duplicity folds repeated slashes: /a//b/ is /a/b/.
        var segments = url.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var location = new WebDavLocation(server, segments);
        var password = url.Password ?? openOptions.GetEnvironmentVariable("FTP_PASSWORD");
        var auth = new WebDavAuthenticator(url.UserName, password);
        var roots = CertificateTrust.Load(options);
        if (roots is not null && openOptions.HttpMessageHandlerFactory is not null)
            throw new BackendException(BackendErrorKind.Permanent,
                "WebDAV: trusted CA certificates cannot be applied to the host's HTTP handler; configure them on that handler instead.");
        return new WebDavBackend(url.ToString(), location, auth, options, openOptions, CreateHttpClient(openOptions.HttpMessageHandlerFactory, roots));
    }

    /// <summary>One client for the backend's life: from the host's handler when given, else a handler of its own.</summary>
    private static HttpClient CreateHttpClient(Func<HttpMessageHandler>? handlerFactory, System.Security.Cryptography.X509Certificates.X509Certificate2Collection? roots)
    {
        HttpClient client;
        if (handlerFactory is null)
        {
            var handler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(30),
                // Below Apache's default KeepAliveTimeout (5 s): a connection the server may be closing is not reused.
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(4),
                AutomaticDecompression = DecompressionMethods.None,
                // A redirect would carry the Authorization header to wherever it points.
                AllowAutoRedirect = false,
                UseCookies = false,
                // 401 before the body: an upload is answered with the challenge before its bytes are sent.
                Expect100ContinueTimeout = TimeSpan.FromSeconds(5),
            };
            if (roots is not null)
                handler.SslOptions.RemoteCertificateValidationCallback = CertificateTrust.Validator(roots);
            client = new HttpClient(handler);
        }
        else
        {
            // The host's handler may be pooled and shared: its creator disposes it.
            client = new HttpClient(handlerFactory() ?? throw new InvalidOperationException("HttpMessageHandlerFactory returned null."), disposeHandler: false);
        }
        // Uploads, downloads and listings can take long; each request gets its own idle or total timeout instead.
        client.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BackendFileInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Uri? page = _location.FolderUri;
        for (var pageNumber = 1; page is not null; pageNumber++)
        {
            if (pageNumber > MaxListPages)
                throw new BackendException(BackendErrorKind.Permanent, "The WebDAV listing did not end (too many pages).");
            if (pageNumber > 1)
                WebDavLog.ListingNextPage(_logger, pageNumber);
            var response = await SendAsync(() => PropfindRequest(page, depth: "1", ListBody), "listing", cancellationToken,
                HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound && pageNumber == 1)
            {
                response.Dispose();
                yield break; // no folder yet: nothing stored (it is created by the first upload)
            }
            if (response.StatusCode != HttpStatusCode.MultiStatus)
            {
                using (response)
                    throw response.IsSuccessStatusCode
                        ? new BackendException(BackendErrorKind.Permanent, $"WebDAV listing failed: the server answered {(int)response.StatusCode} instead of 207 Multi-Status.")
                        : WebDavErrors.FromStatus(response, "listing");
            }
            var next = NextPage(response, page);
            Stream raw;
            try
            {
                raw = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                response.Dispose();
                throw;
            }
            using (var body = new ResponseBodyStream(response, raw, "listing", _options.ReadTimeout, cancellationToken))
            using (var reader = new MultiStatusReader(body))
            {
                while (await reader.ReadNextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    // RFC 5323: 507 on a response says the server cut the answer short. A partial list must not pass
                    // for the whole (cleanup would delete, a restore would miss volumes).
                    if (entry.Status == 507)
                        throw new BackendException(BackendErrorKind.Permanent,
                            $"The WebDAV server truncated the listing of {_location.FolderPath} (507 Insufficient Storage in the answer).");
                    if (entry.IsCollection || _location.NameOf(entry.Href) is not { } name || !IsListable(name))
                        continue;
                    yield return new BackendFileInfo(name, entry.Length ?? 0);
                }
            }
            page = next;
        }
    }

    // Temporary uploads are not files yet; names our API refuses could not be read or deleted through it.
    private static bool IsListable(string name)
    {
        if (UploadTempName.IsTemporary(name))
            return false;
        try
        {
            BackendFileName.Validate(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A next page the server links to (<c>Link: &lt;uri&gt;; rel="next"</c>), on the same server only.</summary>
    private Uri? NextPage(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
            return null;
        foreach (var header in links)
        {
            foreach (var link in header.Split(','))
            {
                var open = link.IndexOf('<');
                var close = link.IndexOf('>');
                if (open < 0 || close < open)
                    continue;
                var parameters = link[(close + 1)..];
                if (!parameters.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase) &&
                    !parameters.Contains("rel=next", StringComparison.OrdinalIgnoreCase))
                    continue;
                var target = new Uri(current, link[(open + 1)..close].Trim());
                if (target.GetLeftPart(UriPartial.Authority) != _location.Authority)
                    throw new BackendException(BackendErrorKind.Permanent, "The WebDAV listing's next page is on another server; refusing it.");
                return target;
            }
        }
        return null;
    }

    private static HttpRequestMessage PropfindRequest(Uri uri, string depth, string? body)
    {
        var request = new HttpRequestMessage(Propfind, uri);
        request.Headers.TryAddWithoutValidation("Depth", depth);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/xml");
        return request;
    }

    /// <inheritdoc />
    public Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default) =>
        OpenDownloadAsync(name, 0, cancellationToken);

    /// <summary>Opens a file from byte <paramref name="offset"/> on with a ranged GET (<c>Range: bytes=offset-</c>).</summary>
    /// <param name="name">The file name.</param>
    /// <param name="offset">The first byte to read; at or past the end gives an empty stream.</param>
    /// <param name="cancellationToken">Cancels opening the file.</param>
    public Task<Stream> GetFromAsync(string name, long offset, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return OpenDownloadAsync(name, offset, cancellationToken);
    }

    private async Task<Stream> OpenDownloadAsync(string name, long offset, CancellationToken cancellationToken)
    {
        BackendFileName.Validate(name);
        cancellationToken.ThrowIfCancellationRequested();
        var operation = offset == 0 ? "download of " + name : $"download of {name} from byte {offset}";
        var uri = _location.File(name);
        var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (offset > 0)
                request.Headers.Range = new RangeHeaderValue(offset, null);
            return request;
        }, operation, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        try
        {
            if (offset > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                response.Dispose();
                return Stream.Null;   // the offset is the end of the file: nothing is left to read
            }
            if (!response.IsSuccessStatusCode)
                throw WebDavErrors.FromStatus(response, operation);
            // A server that ignores the range sends the file from its start again: never hand that out as the rest.
            if (offset > 0 && (response.StatusCode != HttpStatusCode.PartialContent || response.Content.Headers.ContentRange?.From != offset))
                throw new BackendException(BackendErrorKind.Permanent, $"WebDAV answered the {operation} without the byte range.");
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResponseBodyStream(response, body, operation, _options.ReadTimeout, CancellationToken.None);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureFolderAsync(cancellationToken).ConfigureAwait(false);
        var temporary = UploadTempName.Create(name);
        var temporaryUri = _location.File(temporary);
        var operation = "upload of " + name;
        try
        {
            await PutBodyAsync(temporaryUri, content, operation, cancellationToken).ConfigureAwait(false);
            using var moved = await SendAsync(() =>
            {
                var request = new HttpRequestMessage(Move, temporaryUri);
                request.Headers.TryAddWithoutValidation("Destination", _location.File(name).AbsoluteUri);
                request.Headers.TryAddWithoutValidation("Overwrite", "T");
                return request;
            }, operation + " (renaming into place)", cancellationToken).ConfigureAwait(false);
            if (!moved.IsSuccessStatusCode)
                throw WebDavErrors.FromStatus(moved, operation + " (renaming into place)");
        }
        catch
        {
            await RemoveTemporaryAsync(name, temporary, temporaryUri).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Best effort: a temporary file left behind is invisible to listings, so a failure here is not reported.</summary>
    private async Task RemoveTemporaryAsync(string name, string temporary, Uri uri)
    {
        try
        {
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, uri), "cleanup of " + temporary,
                CancellationToken.None).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                WebDavLog.TemporaryUploadRemoved(_logger, name, temporary);
        }
        catch (BackendException)
        {
            // the server is unreachable: the next cleanup run sees nothing of it either
        }
    }

    /// <summary>
    /// PUTs the body, failing when it makes no progress for the request timeout. <c>Expect: 100-continue</c> lets the
    /// server ask for authentication before the bytes are sent, so the body can be sent again with the answer.
    /// </summary>
    private async Task PutBodyAsync(Uri uri, Stream source, string operation, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timeout = _options.RequestTimeout;
        var body = new UploadBodyStream(source, () => idle.CancelAfter(timeout));
        for (var attempt = 0; ; attempt++)
        {
            idle.CancelAfter(timeout);
            using var request = new HttpRequestMessage(HttpMethod.Put, uri);
            request.Headers.ExpectContinue = true;
            var length = body.KnownLength;
            var content = new StreamContent(body, BodyBufferSize);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            if (length is not null)
                content.Headers.ContentLength = length;
            request.Content = content;
            _auth.Apply(request);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, idle.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                body.SourceFailure?.Throw();
                cancellationToken.ThrowIfCancellationRequested();
                if (e is HttpRequestException http)
                    throw WebDavErrors.Transport(operation, http);
                if (e is OperationCanceledException)
                    throw WebDavErrors.Timeout(operation, e);
                throw new BackendException(BackendErrorKind.Transient, $"WebDAV {operation} failed: {e.Message}", e);
            }
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt < 2 &&
                    _auth.Accept(response, request.Headers.Authorization is not null, out var scheme) && body.TryRewind())
                {
                    WebDavLog.Authenticating(_logger, scheme, _auth.User);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                    throw WebDavErrors.FromStatus(response, operation);
                return;
            }
        }
    }

    /// <summary>Makes sure the folder exists, once per backend (again after a failure).</summary>
    private Task EnsureFolderAsync(CancellationToken cancellationToken)
    {
        lock (_folderLock)
        {
            if (_folderReady is null || _folderReady.IsFaulted || _folderReady.IsCanceled)
                _folderReady = CreateFolderIfMissingAsync(cancellationToken);
            return _folderReady;
        }
    }

    private async Task CreateFolderIfMissingAsync(CancellationToken cancellationToken)
    {
        using (var check = await SendAsync(() => PropfindRequest(_location.FolderUri, depth: "0", ListBody), "check of the folder",
                   cancellationToken).ConfigureAwait(false))
        {
            if (check.IsSuccessStatusCode)
                return;
            if (check.StatusCode != HttpStatusCode.NotFound)
                throw WebDavErrors.FromStatus(check, "check of the folder " + _location.FolderPath);
        }
        await MakeFolderAsync(_location.Segments.Count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>MKCOL of the folder of the first <paramref name="levels"/> segments; a missing parent (409) is made first.</summary>
    private async Task MakeFolderAsync(int levels, CancellationToken cancellationToken)
    {
        if (levels == 0)
            return;
        var uri = _location.FolderAt(levels);
        var folder = "/" + string.Concat(_location.Segments.Take(levels).Select(s => s + "/"));
        for (var attempt = 0; ; attempt++)
        {
            using var response = await SendAsync(() => new HttpRequestMessage(Mkcol, uri), "creation of the folder " + folder,
                cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                WebDavLog.FolderCreated(_logger, folder);
                return;
            }
            // 405: it exists (made by someone else since the check).
            if (response.StatusCode == HttpStatusCode.MethodNotAllowed)
                return;
            if (response.StatusCode == HttpStatusCode.Conflict && attempt == 0 && levels > 1)
            {
                await MakeFolderAsync(levels - 1, cancellationToken).ConfigureAwait(false);
                continue;
            }
            throw WebDavErrors.FromStatus(response, "creation of the folder " + folder);
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        BackendFileName.ValidateAll(names);
        cancellationToken.ThrowIfCancellationRequested();
        await Parallel.ForEachAsync(names, new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, _options.DeleteConcurrency),
            CancellationToken = cancellationToken,
        }, async (name, token) =>
        {
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, _location.File(name)), "delete of " + name, token)
                .ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
                throw WebDavErrors.FromStatus(response, "delete of " + name);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a request without a large body, answering an authentication challenge (401) and sending it again.
    /// Bounded by the request timeout. The caller checks the status.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, string operation, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            using var request = build();
            _auth.Apply(request);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw WebDavErrors.Timeout(operation, e);
            }
            catch (HttpRequestException e)
            {
                throw WebDavErrors.Transport(operation, e);
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt < 2 &&
                _auth.Accept(response, request.Headers.Authorization is not null, out var scheme))
            {
                response.Dispose();
                WebDavLog.Authenticating(_logger, scheme, _auth.User);
                continue;
            }
            return response;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
