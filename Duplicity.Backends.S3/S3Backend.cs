using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Backends.S3;

/// <summary>
/// Stores backup files as objects of one S3 bucket under a key prefix, like duplicity's boto3 backend:
/// file <c>f</c> of <c>boto3+s3://bucket/some/prefix</c> is the object <c>some/prefix/f</c>.
/// Uploads larger than <see cref="S3BackendOptions.MultipartChunkSize"/> go in parallel parts; a failed or
/// cancelled upload is aborted, so an object is visible only when complete. Every body is sent with its
/// Content-MD5 and the returned ETag checked; downloads are checked for length and, where the ETag is the
/// object's MD5, for content.
/// </summary>
public sealed class S3Backend : IBackend
{
    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly S3Location _location;
    private readonly S3BackendOptions _options;
    private readonly ILogger _logger;
    private volatile bool _batchDeleteRefused;

    /// <summary>Creates a backend over a client the caller configured (and keeps owning).</summary>
    /// <param name="client">The S3 client.</param>
    /// <param name="bucket">The bucket; it must exist (the backend never creates buckets, as duplicity's boto3 backend).</param>
    /// <param name="prefix">The key prefix, e.g. <c>backups/host1</c> (a trailing <c>/</c> is added); empty for none.</param>
    /// <param name="options">Upload settings; null for duplicity's defaults.</param>
    public S3Backend(IAmazonS3 client, string bucket, string prefix = "", S3BackendOptions? options = null)
        : this(client, bucket, prefix, options, NullLoggerFactory.Instance)
    {
    }

    /// <summary>Creates a backend over a client the caller configured (and keeps owning), logging multipart uploads.</summary>
    /// <param name="client">The S3 client.</param>
    /// <param name="bucket">The bucket; it must exist (the backend never creates buckets, as duplicity's boto3 backend).</param>
    /// <param name="prefix">The key prefix, e.g. <c>backups/host1</c> (a trailing <c>/</c> is added); empty for none.</param>
    /// <param name="options">Upload settings; null for duplicity's defaults.</param>
    /// <param name="loggerFactory">Receives the backend's messages (ids 5100-5199 of <see cref="Diagnostics.DuplicityEventIds"/>).</param>
    public S3Backend(IAmazonS3 client, string bucket, string prefix, S3BackendOptions? options, ILoggerFactory loggerFactory)
        : this(client, ownsClient: false,
            new S3Location(bucket, NormalizePrefix(prefix), null), options?.Clone() ?? new S3BackendOptions(),
            $"s3://{bucket}/{NormalizePrefix(prefix)}", loggerFactory)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
    }

    private S3Backend(IAmazonS3 client, bool ownsClient, S3Location location, S3BackendOptions options, string displayName, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();
        _client = client;
        _ownsClient = ownsClient;
        _location = location;
        _options = options;
        _logger = loggerFactory.CreateLogger<S3Backend>();
        DisplayName = displayName;
    }

    /// <summary>
    /// Opens the backend for <c>boto3+s3://bucket/prefix</c>, <c>s3+http://bucket/prefix</c>,
    /// <c>s3://host[:port]/bucket/prefix</c> or <c>s3://bucket/prefix</c>; credentials as the AWS SDK finds
    /// them, reading variables from <paramref name="openOptions"/> (see <see cref="BackendOpenOptions.Environment"/>).
    /// </summary>
    /// <param name="url">The backend URL.</param>
    /// <param name="openOptions">Environment to read credentials and region from, logger factory and optional HTTP
    /// handler (used through the SDK's <c>HttpClientFactory</c> hook); null = the process environment, no logging.</param>
    /// <param name="options">S3 settings; null for duplicity's defaults.</param>
    /// <exception cref="DuplicityException">The URL names no bucket (<see cref="DuplicityErrorCode.BadUrl"/>).</exception>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    public static S3Backend Open(BackendUrl url, BackendOpenOptions? openOptions = null, S3BackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var settings = options?.Clone() ?? new S3BackendOptions();
        settings.Validate();
        var location = S3Location.FromUrl(url, settings);
        var context = openOptions ?? new BackendOpenOptions();
        var (credentials, region) = S3Credentials.Resolve(url, context);
        var client = S3ClientFactory.Create(location, settings, credentials, region, context.HttpMessageHandlerFactory);
        var backend = new S3Backend(client, ownsClient: true, location, settings, url.ToString(), context.LoggerFactory);
        var logger = backend._logger;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            // A local: CA1873 misses IsEnabled guards around [LoggerMessage] calls (dotnet/sdk#50893).
            var config = (AmazonS3Config)client.Config;
            var endpoint = BackendUrl.Redact(location.ServiceUrl ?? config.RegionEndpoint?.SystemName ?? "");
            S3Log.ClientCreated(logger, location.Bucket, endpoint, config.ForcePathStyle, context.HttpMessageHandlerFactory is not null);
        }
        return backend;
    }

    /// <inheritdoc />
    public string DisplayName { get; }

    /// <summary>The bucket the files are stored in.</summary>
    public string Bucket => _location.Bucket;

    /// <summary>The key prefix of every file: empty, or ending with <c>/</c>.</summary>
    public string Prefix => _location.Prefix;

    /// <inheritdoc />
    public async IAsyncEnumerable<BackendFileInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var request = new ListObjectsV2Request
        {
            BucketName = _location.Bucket,
            Prefix = _location.Prefix,
            // Keys in deeper "folders" are not files of this backend (and could not be valid names).
            Delimiter = "/",
        };
        var prefixLength = _location.Prefix.Length;
        while (true)
        {
            ListObjectsV2Response response;
            try
            {
                response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (Translate(e, "listing", cancellationToken) is { } error)
            {
                throw error;
            }
            if (response.S3Objects is { } objects)
            {
                foreach (var o in objects)
                {
                    if (o.Key.Length <= prefixLength || !o.Key.StartsWith(_location.Prefix, StringComparison.Ordinal))
                        continue;
                    var name = o.Key[prefixLength..];
                    if (!IsValidName(name))
                        continue;
                    yield return new BackendFileInfo(name, o.Size ?? 0);
                }
            }
            if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
                yield break;
            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    /// <inheritdoc />
    public async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();
        var key = _location.KeyOf(name);
        int chunkSize = (int)Math.Min(_options.MultipartChunkSize, Array.MaxLength);
        try
        {
            // Read up to one chunk: a shorter source is one PUT, a longer one a multipart upload.
            var first = ArrayPool<byte>.Shared.Rent(chunkSize);
            int length;
            try
            {
                length = await SourceRead.ChunkAsync(content, first.AsMemory(0, chunkSize), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(first);
                throw;
            }
            if (length < chunkSize)
            {
                try
                {
                    await PutSingleAsync(name, key, first, length, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(first);
                }
                return;
            }
            await new S3MultipartUpload(_client, _location.Bucket, key, _options, chunkSize, _logger)
                .RunAsync(name, first, content, cancellationToken).ConfigureAwait(false);
        }
        catch (SourceRead.Failure failure)
        {
            SourceRead.Rethrow(failure);
        }
        catch (Exception e) when (Translate(e, $"upload of {name}", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    private async Task PutSingleAsync(string name, string key, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        #pragma warning disable CA5351 // S3 mandates MD5 for Content-MD5 and ETags (integrity of the transfer; it protects no secret).
        var md5 = MD5.HashData(buffer.AsSpan(0, length));
#pragma warning restore CA5351
        using var body = new MemoryStream(buffer, 0, length, writable: false);
        var request = new PutObjectRequest
        {
            BucketName = _location.Bucket,
            Key = key,
            InputStream = body,
            AutoCloseStream = false,
            MD5Digest = Convert.ToBase64String(md5),
            UseChunkEncoding = !_options.DisableChunkedEncoding,
        };
        S3UploadSettings.Apply(request, _options, name);
        var response = await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        var etag = S3UploadSettings.Unquote(response.ETag);
        if (S3UploadSettings.ETagIsMd5(_options) && etag.Length == 32 && etag != Convert.ToHexStringLower(md5))
        {
            // The server kept other bytes than were sent: do not leave a corrupt file behind.
            await DeleteKeysAsync([key], CancellationToken.None).ConfigureAwait(false);
            throw new BackendException(BackendErrorKind.Transient,
                $"S3 stored {name} at {DisplayName} with a different MD5 than was sent: the data was corrupted in transit.");
        }
    }

    /// <inheritdoc />
    public async Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        try
        {
            var response = await _client.GetObjectAsync(_location.Bucket, _location.KeyOf(name), cancellationToken).ConfigureAwait(false);
            return new S3ObjectReadStream(response, $"{name} at {DisplayName}", _options.ReadTimeout);
        }
        catch (Exception e) when (Translate(e, $"download of {name}", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    /// <summary>Opens a file from byte <paramref name="offset"/> on with a ranged GET (<c>Range: bytes=offset-</c>).</summary>
    /// <param name="name">The file name.</param>
    /// <param name="offset">The first byte to read; at or past the end gives an empty stream.</param>
    /// <param name="cancellationToken">Cancels opening the file.</param>
    public async Task<Stream> GetFromAsync(string name, long offset, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset == 0)
            return await GetAsync(name, cancellationToken).ConfigureAwait(false);
        BackendFileName.Validate(name);
        var what = $"{name} at {DisplayName}";
        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = _location.Bucket,
                Key = _location.KeyOf(name),
                ByteRange = new ByteRange($"bytes={offset}-"),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return Stream.Null;   // the offset is the end of the file: nothing is left to read
        }
        catch (Exception e) when (Translate(e, $"download of {name} from byte {offset}", cancellationToken) is { } error)
        {
            throw error;
        }
        // A server that ignores the range would send the file from its start again: never hand that out as the rest.
        if (response.HttpStatusCode != System.Net.HttpStatusCode.PartialContent)
        {
            response.Dispose();
            throw new BackendException(BackendErrorKind.Permanent, $"S3 answered a download of {what} from byte {offset} without the byte range.");
        }
        return new S3ObjectReadStream(response, what, _options.ReadTimeout);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        BackendFileName.ValidateAll(names);
        cancellationToken.ThrowIfCancellationRequested();
        var keys = new List<string>(names.Count);
        foreach (var n in names) keys.Add(_location.KeyOf(n));
        try
        {
            await DeleteKeysAsync(keys, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, "delete", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    private async Task DeleteKeysAsync(List<string> keys, CancellationToken cancellationToken)
    {
        // DeleteObjects takes at most 1000 keys; missing keys are not errors in S3.
        for (int start = 0; start < keys.Count; start += 1000)
        {
            if (_batchDeleteRefused)
            {
                await DeleteOneByOneAsync(keys, start, cancellationToken).ConfigureAwait(false);
                return;
            }
            var request = new DeleteObjectsRequest { BucketName = _location.Bucket, Quiet = true, Objects = [] };
            for (int i = start; i < Math.Min(keys.Count, start + 1000); i++)
                request.Objects.Add(new KeyVersion { Key = keys[i] });
            DeleteObjectsResponse response;
            try
            {
                response = await _client.DeleteObjectsAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (IsMissingContentMd5(e))
            {
                // The SDK sends DeleteObjects with a CRC32 checksum and no Content-MD5 (it has no way to ask
                // for one); servers that demand Content-MD5 (Swift's s3api, ECS, older MinIO) refuse it.
                // Single deletes need no checksum, and are what duplicity's boto3 backend does anyway.
                _batchDeleteRefused = true;
                S3Log.BatchDeleteRefused(_logger, _location.Bucket);
                await DeleteOneByOneAsync(keys, start, cancellationToken).ConfigureAwait(false);
                return;
            }
            if (response.DeleteErrors is { Count: > 0 } errors)
            {
                foreach (var error in errors)
                {
                    if (error.Code == "NoSuchKey")
                        continue;
                    throw new AmazonS3Exception($"could not delete {error.Key}: {error.Message}")
                    {
                        ErrorCode = error.Code,
                        StatusCode = error.Code == "AccessDenied" ? System.Net.HttpStatusCode.Forbidden : System.Net.HttpStatusCode.InternalServerError,
                    };
                }
            }
        }
    }

    private static bool IsMissingContentMd5(AmazonS3Exception e) =>
        e.StatusCode == System.Net.HttpStatusCode.BadRequest
        && (e.ErrorCode is "MissingContentMD5" || e.Message.Contains("Content-MD5", StringComparison.OrdinalIgnoreCase));

    private Task DeleteOneByOneAsync(List<string> keys, int start, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(keys.Skip(start), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (key, token) => await _client.DeleteObjectAsync(_location.Bucket, key, token).ConfigureAwait(false));

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
            _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private BackendException? Translate(Exception e, string what, CancellationToken cancellationToken) =>
        S3ErrorTranslator.Translate(e, what, _location.Bucket, DisplayName, cancellationToken);

    private static bool IsValidName(string name) =>
        name is not ("." or "..") && name.AsSpan().IndexOfAny('/', '\\', '\0') < 0;

    private static string NormalizePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var parts = prefix.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? "" : string.Join('/', parts) + "/";
    }
}
