using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Swift;

/// <summary>
/// OpenStack Swift storage for <c>swift://container[/prefix]</c>, over plain HTTP (no SDK): tempauth (v1),
/// Keystone v2.0 and v3 authentication, a token renewed once when Swift answers 401, the container created on
/// first upload, files above <see cref="SwiftBackendOptions.SegmentSize"/> stored as Static Large Objects.
/// </summary>
/// <remarks>
/// Swift makes a PUT visible only when its body is complete, so an aborted upload never leaves a partial
/// object under the final name; segments of an aborted large upload are deleted.
/// </remarks>
public sealed class SwiftBackend : IBackend
{
    private const int BodyBufferSize = 256 * 1024;
    // Buffered to tell a small file from a large one when the source cannot report its length.
    private const int ProbeSize = 8 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly SwiftAuthSettings _auth;
    private readonly SwiftAuthenticator _authenticator;
    private readonly SwiftBackendOptions _options;
    private readonly ILogger _logger;
    private readonly string _container;
    private readonly string _prefix;
    private readonly SemaphoreSlim _sessionLock = new(1, 1);
    private SwiftSession? _session;
    private bool _preAuthUsed;
    private Task? _containerReady;
    private Task? _segmentContainerReady;
    private readonly object _containerLock = new();

    private SwiftBackend(string displayName, string container, string prefix, SwiftAuthSettings auth, SwiftBackendOptions options,
        BackendOpenOptions context)
    {
        DisplayName = displayName;
        _container = container;
        _prefix = prefix;
        _auth = auth;
        _options = options;
        _logger = context.LoggerFactory.CreateLogger<SwiftBackend>();
        _http = CreateHttpClient(context.HttpMessageHandlerFactory);
        _authenticator = new SwiftAuthenticator(_http, auth, options.RequestTimeout, _logger);
    }

    /// <summary>One client for the backend's life: from the host's handler when given, else a handler of its own.</summary>
    private static HttpClient CreateHttpClient(Func<HttpMessageHandler>? handlerFactory)
    {
        var client = handlerFactory is null
            ? new HttpClient(new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(30),
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
                AutomaticDecompression = DecompressionMethods.None,
                // A redirect would carry X-Auth-Token to another host.
                AllowAutoRedirect = false,
            })
            // The host's handler may be pooled and shared: its creator disposes it.
            : new HttpClient(handlerFactory() ?? throw new InvalidOperationException("HttpMessageHandlerFactory returned null."), disposeHandler: false);
        // Uploads and downloads can take long; each request gets its own idle or total timeout instead.
        client.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }

    /// <inheritdoc />
    public string DisplayName { get; }

    /// <summary>The container objects are stored in.</summary>
    public string Container => _container;

    /// <summary>The object-name prefix (empty, or ending in <c>/</c>) put before every file name.</summary>
    public string Prefix => _prefix;

    /// <summary>The container that holds the segments of large objects (<c>&lt;container&gt;_segments</c>).</summary>
    public string SegmentContainer => _container + "_segments";

    /// <summary>How many objects one listing request asks for (Swift's maximum is 10000).</summary>
    internal int ListPageSize { get; set; } = 10000;

    /// <summary>
    /// Opens a backend for <c>swift://container[/prefix]</c>, reading the <c>SWIFT_*</c> variables from
    /// <paramref name="openOptions"/>. Nothing is contacted until the first operation.
    /// </summary>
    /// <param name="url">The parsed URL; empty path parts are folded as duplicity does.</param>
    /// <param name="openOptions">Supplies the environment, the logger factory and, optionally, the HTTP handler.</param>
    /// <param name="options">Segment size, storage policy and timeouts; defaults when null.</param>
    /// <exception cref="BackendException">A required variable is missing or malformed, or the URL names no container.</exception>
    public static SwiftBackend Open(BackendUrl url, BackendOpenOptions openOptions, SwiftBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(openOptions);
        // duplicity folds empty parts: //c/ == //c and //c//a/b/ == //c/a/b.
        var parts = url.HostAndPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
            throw new BackendException(BackendErrorKind.Permanent, $"No Swift container in {url}.");
        var prefix = parts.Length > 1 ? string.Join('/', parts[1..]) + "/" : "";
        var auth = SwiftAuthSettings.FromEnvironment(openOptions);
        return new SwiftBackend(url.ToString(), parts[0], prefix, auth, options ?? new SwiftBackendOptions(), openOptions);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BackendFileInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string? marker = null;
        while (true)
        {
            var query = $"format=json&limit={ListPageSize}" +
                (_prefix.Length > 0 ? "&prefix=" + Uri.EscapeDataString(_prefix) : "") +
                (marker is null ? "" : "&marker=" + Uri.EscapeDataString(marker));
            JsonArray page;
            using (var response = await SendAsync(s => new HttpRequestMessage(HttpMethod.Get, SwiftObjectPath.Container(s.StorageUrl, _container, query)),
                       "listing", cancellationToken).ConfigureAwait(false))
            {
                if (response.StatusCode == HttpStatusCode.NotFound)
                    yield break; // no container yet: nothing stored
                await EnsureSuccessAsync(response, "listing").ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NoContent)
                    yield break;
                page = ParseListing(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            }
            foreach (var item in page)
            {
                var name = (string?)item?["name"];
                if (name is null)
                    continue;
                marker = name;
                var relative = name[_prefix.Length..];
                // Only files directly under the prefix: deeper names are not this backend's files.
                if (relative.Length == 0 || relative.Contains('/'))
                    continue;
                yield return new BackendFileInfo(relative, item!["bytes"]?.GetValue<long>() ?? 0);
            }
            if (page.Count < ListPageSize)
                yield break;
        }
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

    /// <summary>
    /// A download from <paramref name="offset"/>. One from the start is checked against the object's MD5s
    /// (<see cref="ContentCheck"/>); a continued one only for its length, by the retrying caller.
    /// </summary>
    private async Task<Stream> OpenDownloadAsync(string name, long offset, CancellationToken cancellationToken)
    {
        BackendFileName.Validate(name);
        cancellationToken.ThrowIfCancellationRequested();
        var objectName = _prefix + name;
        var operation = offset == 0 ? "download of " + name : $"download of {name} from byte {offset}";
        var response = await SendAsync(s =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, SwiftObjectPath.Object(s.StorageUrl, _container, objectName));
            if (offset > 0)
                request.Headers.Range = new RangeHeaderValue(offset, null);
            return request;
        }, operation, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        try
        {
            if (offset > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                response.Dispose();
                return Stream.Null;   // the offset is the end of the object: nothing is left to read
            }
            await EnsureSuccessAsync(response, operation).ConfigureAwait(false);
            // A server that ignores the range would send the object from its start again: never hand that out as the rest.
            if (offset > 0 && response.StatusCode != HttpStatusCode.PartialContent)
                throw new BackendException(BackendErrorKind.Permanent, $"Swift answered the {operation} without the byte range.");
            var check = offset == 0 ? await ContentCheckForAsync(response, objectName, name, cancellationToken).ConfigureAwait(false) : null;
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new DownloadStream(response, body, name, _options.ReadTimeout, check);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What a whole download is checked against: a plain object's ETag is the MD5 of its body; a Static Large
    /// Object's is the MD5 of its segments' MD5s, which its manifest lists with their sizes.
    /// </summary>
    private async Task<ContentCheck?> ContentCheckForAsync(HttpResponseMessage response, string objectName, string name, CancellationToken cancellationToken)
    {
        var etag = ContentCheck.Unquote(FirstHeader(response, "ETag"));
        if (etag.Length != 32 || FirstHeader(response, "X-Object-Manifest") is not null)
            return null;   // no MD5 to check against (a dynamic large object's ETag covers no manifest we can read)
        if (!string.Equals(FirstHeader(response, "X-Static-Large-Object"), "True", StringComparison.OrdinalIgnoreCase))
            return response.Content.Headers.ContentLength is { } length ? new ContentCheck([(length, etag)], name) : null;
        var segments = await ReadSegmentsAsync(objectName, name, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(ContentCheck.LargeObjectETag(segments.Select(s => s.Md5)), etag, StringComparison.OrdinalIgnoreCase))
            throw new BackendException(BackendErrorKind.Permanent, $"Swift download of {name} is corrupt: its segment list does not match its ETag {etag}.");
        return new ContentCheck(segments, name);
    }

    private async Task<List<(long Length, string Md5)>> ReadSegmentsAsync(string objectName, string name, CancellationToken cancellationToken)
    {
        var operation = "segment list of " + name;
        using var response = await SendAsync(s => new HttpRequestMessage(HttpMethod.Get,
            SwiftObjectPath.Object(s.StorageUrl, _container, objectName, "multipart-manifest=get")), operation, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation).ConfigureAwait(false);
        var segments = new List<(long, string)>();
        foreach (var item in ParseListing(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)))
        {
            var md5 = (string?)item?["hash"];
            var bytes = item?["bytes"]?.GetValue<long>();
            if (md5 is null || bytes is null)
                throw new BackendException(BackendErrorKind.Permanent, $"Swift answered a malformed {operation}.");
            segments.Add((bytes.Value, md5));
        }
        return segments;
    }

    private static string? FirstHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <inheritdoc />
    public async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureContainerAsync(ref _containerReady, _container, _options.StoragePolicy, cancellationToken).ConfigureAwait(false);
        var objectName = _prefix + name;
        var segmentSize = _options.SegmentSize ?? 0;
        if (segmentSize <= 0)
        {
            await PutObjectAsync(_container, objectName, content, ReadOnlyMemory<byte>.Empty, long.MaxValue, null, "upload of " + name, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (content.CanSeek)
        {
            if (content.Length - content.Position <= segmentSize)
                await PutObjectAsync(_container, objectName, content, ReadOnlyMemory<byte>.Empty, long.MaxValue, null, "upload of " + name, cancellationToken).ConfigureAwait(false);
            else
                await new LargeObjectUpload(this, name, objectName, segmentSize, _logger).RunAsync(content, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            return;
        }
        // Unknown length: read a little ahead to send small files as one object.
        var probe = new byte[(int)Math.Min(ProbeSize, segmentSize + 1)];
        var filled = 0;
        int read;
        while (filled < probe.Length && (read = await content.ReadAsync(probe.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            filled += read;
        if (filled <= segmentSize && filled < probe.Length)
        {
            using var small = new MemoryStream(probe, 0, filled, writable: false);
            await PutObjectAsync(_container, objectName, small, ReadOnlyMemory<byte>.Empty, long.MaxValue, null, "upload of " + name, cancellationToken).ConfigureAwait(false);
            return;
        }
        await new LargeObjectUpload(this, name, objectName, segmentSize, _logger).RunAsync(content, probe.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
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
        }, async (name, token) => await DeleteObjectAsync(_container, _prefix + name, "delete of " + name, token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        _sessionLock.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Forgets the current token and replaces it, as if it had expired (for tests of the renewal path).</summary>
    internal void ReplaceTokenForTests(string token)
    {
        if (_session is not null)
            _session = _session with { Token = token };
    }

    /// <summary>Deletes an object; a Static Large Object together with its segments. A missing object is not an error.</summary>
    internal async Task DeleteObjectAsync(string container, string objectName, string operation, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            SwiftSession? used = null;
            DeleteReport outcome;
            using (var response = await SendAsync(s =>
                   {
                       used = s;
                       var request = new HttpRequestMessage(HttpMethod.Delete, SwiftObjectPath.Object(s.StorageUrl, container, objectName, "multipart-manifest=delete"));
                       request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                       return request;
                   }, operation, cancellationToken).ConfigureAwait(false))
            {
                if (response.StatusCode == HttpStatusCode.NotFound)
                    return;
                await EnsureSuccessAsync(response, operation).ConfigureAwait(false);
                // The SLO middleware answers 200 with a bulk-delete report, whatever happened to the object.
                outcome = ReadDeleteReport(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), operation);
            }
            if (outcome == DeleteReport.Done)
                return;
            if (outcome == DeleteReport.Unauthorized)
            {
                if (attempt > 0 || used is null)
                    throw SwiftErrors.FromStatus(HttpStatusCode.Unauthorized, operation);
                await RenewSessionAsync(used, operation, cancellationToken).ConfigureAwait(false);
                continue;
            }
            using var plain = await SendAsync(s => new HttpRequestMessage(HttpMethod.Delete, SwiftObjectPath.Object(s.StorageUrl, container, objectName)),
                operation, cancellationToken).ConfigureAwait(false);
            if (plain.StatusCode != HttpStatusCode.NotFound)
                await EnsureSuccessAsync(plain, operation).ConfigureAwait(false);
            return;
        }
    }

    private enum DeleteReport { Done, NotAManifest, Unauthorized }

    private static DeleteReport ReadDeleteReport(string report, string operation)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(report);
        }
        catch (JsonException)
        {
            return DeleteReport.Done; // not a bulk report: the DELETE itself succeeded
        }
        var status = (string?)node?["Response Status"] ?? "200 OK";
        if (status.StartsWith('2'))
            return DeleteReport.Done;
        var errors = node?["Errors"]?.ToJsonString() ?? "";
        if (errors.Contains("Not an SLO manifest", StringComparison.Ordinal))
            return DeleteReport.NotAManifest;
        // tempauth defers its decision, so a refused token shows up inside the report.
        if (errors.Contains("401 Unauthorized", StringComparison.Ordinal))
            return DeleteReport.Unauthorized;
        var code = int.TryParse(status.AsSpan(0, Math.Min(3, status.Length)), out var parsed) ? parsed : 500;
        if (code == 404)
            return DeleteReport.Done;
        throw SwiftErrors.FromStatus((HttpStatusCode)code, operation, errors);
    }

    /// <summary>
    /// PUTs one object from <paramref name="source"/> (after <paramref name="head"/>), at most
    /// <paramref name="limit"/> bytes. Retries once after renewing the token when Swift answers 401
    /// before the body was consumed (or the body can be rewound). The ETag Swift answers must be
    /// <paramref name="expectedETag"/>, by default the MD5 of the bytes sent; otherwise the object is deleted.
    /// </summary>
    internal async Task<UploadBodyStream> PutObjectAsync(string container, string objectName, Stream source, ReadOnlyMemory<byte> head, long limit,
        string? query, string operation, CancellationToken cancellationToken, Action<HttpRequestMessage>? decorate = null, string? expectedETag = null)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timeout = _options.RequestTimeout;
        var body = new UploadBodyStream(source, head, limit, () => idle.CancelAfter(timeout));
        var session = await GetSessionAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            idle.CancelAfter(timeout);
            var request = new HttpRequestMessage(HttpMethod.Put, SwiftObjectPath.Object(session.StorageUrl, container, objectName, query));
            request.Headers.TryAddWithoutValidation("X-Auth-Token", session.Token);
            // Lets Swift refuse an expired token before the body is sent, so the upload can be retried.
            request.Headers.ExpectContinue = true;
            var length = body.KnownLength;
            var content = new StreamContent(body, BodyBufferSize);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            if (length is not null)
                content.Headers.ContentLength = length;
            request.Content = content;
            decorate?.Invoke(request);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, idle.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                body.SourceFailure?.Throw();
                cancellationToken.ThrowIfCancellationRequested();
                if (e is OperationCanceledException)
                    throw SwiftErrors.Timeout(operation, e);
                throw SwiftErrors.Transport(operation, e);
            }
            finally
            {
                request.Dispose();
            }
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0 && body.TryRewind(head))
                {
                    session = await RenewSessionAsync(session, operation, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                await EnsureSuccessAsync(response, operation).ConfigureAwait(false);
                var stored = ContentCheck.Unquote(FirstHeader(response, "ETag"));
                var sent = expectedETag ?? body.Md5Hex;
                if (!string.Equals(stored, sent, StringComparison.OrdinalIgnoreCase))
                {
                    // Swift kept other bytes than were sent: remove them rather than leave a corrupt file.
                    await DeleteObjectAsync(container, objectName, "cleanup after the " + operation, CancellationToken.None).ConfigureAwait(false);
                    throw new BackendException(BackendErrorKind.Transient,
                        $"Swift {operation} was corrupted in transit: Swift stored ETag {stored}, the data sent has MD5 {sent}.");
                }
                return body;
            }
        }
    }

    /// <summary>Creates a container once per backend if it does not exist (HEAD, then PUT).</summary>
    internal Task EnsureContainerAsync(ref Task? ready, string container, string? policy, CancellationToken cancellationToken)
    {
        lock (_containerLock)
        {
            if (ready is null || ready.IsFaulted || ready.IsCanceled)
                ready = CreateContainerIfMissingAsync(container, policy, cancellationToken);
            return ready;
        }
    }

    internal Task EnsureSegmentContainerAsync(CancellationToken cancellationToken) =>
        EnsureContainerAsync(ref _segmentContainerReady, SegmentContainer, _options.StoragePolicy, cancellationToken);

    private async Task CreateContainerIfMissingAsync(string container, string? policy, CancellationToken cancellationToken)
    {
        var operation = "container check of " + container;
        using (var head = await SendAsync(s => new HttpRequestMessage(HttpMethod.Head, SwiftObjectPath.Container(s.StorageUrl, container)), operation, cancellationToken).ConfigureAwait(false))
        {
            if (head.IsSuccessStatusCode)
            {
                if (policy is not null && head.Headers.TryGetValues("X-Storage-Policy", out var values) &&
                    !string.Equals(values.FirstOrDefault(), policy, StringComparison.Ordinal))
                    throw new BackendException(BackendErrorKind.Permanent,
                        $"Container '{container}' exists but its storage policy is '{values.FirstOrDefault()}' not '{policy}'.");
                return;
            }
            if (head.StatusCode != HttpStatusCode.NotFound)
                await EnsureSuccessAsync(head, operation).ConfigureAwait(false);
        }
        using var put = await SendAsync(s =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, SwiftObjectPath.Container(s.StorageUrl, container));
            if (policy is not null)
                request.Headers.TryAddWithoutValidation("X-Storage-Policy", policy);
            return request;
        }, "creation of container " + container, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(put, "creation of container " + container).ConfigureAwait(false);
        SwiftLog.ContainerCreated(_logger, container, policy);
    }

    /// <summary>Sends a request without a body, renewing the token once on 401. Bounded by the request timeout.</summary>
    internal async Task<HttpResponseMessage> SendAsync(Func<SwiftSession, HttpRequestMessage> build, string operation, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var session = await GetSessionAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            using var request = build(session);
            request.Headers.TryAddWithoutValidation("X-Auth-Token", session.Token);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw SwiftErrors.Timeout(operation, e);
            }
            catch (HttpRequestException e)
            {
                throw SwiftErrors.Transport(operation, e);
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                response.Dispose();
                session = await RenewSessionAsync(session, operation, cancellationToken).ConfigureAwait(false);
                continue;
            }
            return response;
        }
    }

    private async Task<SwiftSession> GetSessionAsync(CancellationToken cancellationToken)
    {
        if (_session is { } current)
            return current;
        await _sessionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_session is null)
            {
                if (_auth.PreAuthUrl is not null && !_preAuthUsed)
                {
                    _preAuthUsed = true;
                    _session = new SwiftSession(new Uri(_auth.PreAuthUrl.AbsoluteUri.TrimEnd('/')), _auth.PreAuthToken!);
                    SwiftLog.PreAuthenticated(_logger, _session.StorageUrl);
                }
                else
                {
                    _session = await _authenticator.AuthenticateAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            return _session;
        }
        finally
        {
            _sessionLock.Release();
        }
    }

    /// <summary>Replaces a token Swift refused; concurrent callers holding the same stale token share one login.</summary>
    private async Task<SwiftSession> RenewSessionAsync(SwiftSession stale, string operation, CancellationToken cancellationToken)
    {
        SwiftLog.TokenRefused(_logger, operation);
        await _sessionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_session is not null && !ReferenceEquals(_session, stale) && _session.Token != stale.Token)
                return _session;
            _session = await _authenticator.AuthenticateAsync(cancellationToken).ConfigureAwait(false);
            return _session;
        }
        finally
        {
            _sessionLock.Release();
        }
    }

    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation)
    {
        if (response.IsSuccessStatusCode)
            return;
        string? detail = null;
        if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound))
        {
            try
            {
                detail = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                detail = null;
            }
        }
        throw SwiftErrors.FromStatus(response.StatusCode, operation, detail);
    }

    private static JsonArray ParseListing(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonArray
                ?? throw new BackendException(BackendErrorKind.Permanent, "Swift answered a listing that is not a JSON array.");
        }
        catch (JsonException e)
        {
            throw new BackendException(BackendErrorKind.Permanent, "Swift answered a malformed listing.", e);
        }
    }
}
