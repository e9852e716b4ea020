using System.Buffers;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Backends.Azure;

/// <summary>
/// Stores backup files as block blobs of one Azure Blob Storage container, like duplicity's azure backend:
/// file <c>f</c> of <c>azure://container</c> is the blob <c>f</c>. A file up to
/// <see cref="AzureBackendOptions.MaxSinglePutSize"/> is one request; a larger one is staged in blocks sent in
/// parallel and committed at the end, so a blob is visible only when complete and a failed upload leaves
/// the previous blob of that name intact. Every request body carries its Content-MD5. A missing container
/// is created on the first upload, as duplicity creates it.
/// </summary>
public sealed class AzureBackend : IBackend
{
    private readonly BlobContainerClient _container;
    private readonly AzureBackendOptions _options;
    private readonly ILogger _logger;
    private readonly HttpClient? _ownedHttpClient;
    private volatile bool _containerReady;

    /// <summary>Creates a backend over a container client the caller configured (and keeps owning).</summary>
    /// <param name="container">The container; created on the first upload when missing.</param>
    /// <param name="options">Upload settings; null for duplicity's defaults (its timeouts and retries are the client's).</param>
    /// <param name="loggerFactory">Receives the backend's messages (ids 5400-5499 of <see cref="Diagnostics.DuplicityEventIds"/>); null for none.</param>
    public AzureBackend(BlobContainerClient container, AzureBackendOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(container, options?.Clone() ?? new AzureBackendOptions(), $"azure://{container?.Name}", loggerFactory ?? NullLoggerFactory.Instance, null)
    {
    }

    private AzureBackend(BlobContainerClient container, AzureBackendOptions options, string displayName, ILoggerFactory loggerFactory, HttpClient? ownedHttpClient)
    {
        ArgumentNullException.ThrowIfNull(container);
        options.Validate();
        _container = container;
        _options = options;
        _logger = loggerFactory.CreateLogger<AzureBackend>();
        _ownedHttpClient = ownedHttpClient;
        DisplayName = displayName;
    }

    /// <summary>
    /// Opens the backend for <c>azure://container</c>, with credentials from <c>AZURE_CONNECTION_STRING</c>
    /// (what duplicity 0.8.22 reads) or <c>AZURE_ACCOUNT_NAME</c> with <c>AZURE_ACCOUNT_KEY</c> or
    /// <c>AZURE_SHARED_ACCESS_SIGNATURE</c>, read through <paramref name="openOptions"/>.
    /// </summary>
    /// <param name="url">The backend URL.</param>
    /// <param name="openOptions">Environment to read credentials from, logger factory and optional HTTP handler;
    /// null = the process environment, no logging.</param>
    /// <param name="options">Azure settings; null for duplicity's defaults.</param>
    /// <exception cref="DuplicityException">The URL names no valid container (<see cref="DuplicityErrorCode.BadUrl"/>).</exception>
    /// <exception cref="BackendException">No credentials are set, or they cannot be parsed (<see cref="BackendErrorKind.Permanent"/>).</exception>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public static AzureBackend Open(BackendUrl url, BackendOpenOptions? openOptions = null, AzureBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var settings = options?.Clone() ?? new AzureBackendOptions();
        settings.Validate();
        var containerName = AzureLocation.ContainerOf(url);
        var context = openOptions ?? new BackendOpenOptions();
        var (service, endpoint, credential, httpClient) = AzureClientFactory.Create(context, settings);
        var backend = new AzureBackend(service.GetBlobContainerClient(containerName), settings, url.ToString(), context.LoggerFactory, httpClient);
        if (backend._logger.IsEnabled(LogLevel.Debug))
        {
            // A local: CA1873 misses IsEnabled guards around [LoggerMessage] calls (dotnet/sdk#50893).
            var shown = BackendUrl.Redact(endpoint);
            AzureLog.ClientCreated(backend._logger, containerName, shown, credential);
        }
        return backend;
    }

    /// <inheritdoc />
    public string DisplayName { get; }

    /// <summary>The container the files are stored in.</summary>
    public string Container => _container.Name;

    /// <inheritdoc />
    public async IAsyncEnumerable<BackendFileInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pages = _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        await using (pages.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await pages.MoveNextAsync().ConfigureAwait(false);
                }
                catch (RequestFailedException e) when (e.ErrorCode == "ContainerNotFound")
                {
                    yield break;   // duplicity creates the container when it opens it: a missing one is empty
                }
                catch (Exception e) when (Translate(e, "listing", cancellationToken) is { } error)
                {
                    throw error;
                }
                if (!more)
                    yield break;
                foreach (var blob in pages.Current.Values)
                {
                    // Blobs in "folders" are not files of this backend (and could not be valid names).
                    if (IsValidName(blob.Name))
                        yield return new BackendFileInfo(blob.Name, blob.Properties.ContentLength ?? 0);
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();
        var blob = _container.GetBlockBlobClient(name);
        int singleSize = (int)Math.Min(_options.MaxSinglePutSize, Array.MaxLength);
        byte[]? first = null;
        byte[]? second = null;
        try
        {
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            // Read up to the single-put size: a source that ends within it is one request, a longer one blocks.
            first = ArrayPool<byte>.Shared.Rent(singleSize);
            int length = await SourceRead.ChunkAsync(content, first.AsMemory(0, singleSize), cancellationToken).ConfigureAwait(false);
            if (length == singleSize)
            {
                // Exactly the single-put size still goes in one request, as in the SDK duplicity uses.
                second = ArrayPool<byte>.Shared.Rent(1);
                if (await SourceRead.ChunkAsync(content, second.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) == 1)
                {
                    await new AzureBlockUpload(blob, _container.Name, _options, _logger)
                        .RunAsync(name, first, length, new PrefixedStream(second[0], content), cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
            await PutSingleAsync(blob, new ReadOnlyMemory<byte>(first, 0, length), cancellationToken).ConfigureAwait(false);
        }
        catch (SourceRead.Failure failure)
        {
            SourceRead.Rethrow(failure);
        }
        catch (Exception e) when (Translate(e, $"upload of {name}", cancellationToken) is { } error)
        {
            throw error;
        }
        finally
        {
            if (first is not null) ArrayPool<byte>.Shared.Return(first);
            if (second is not null) ArrayPool<byte>.Shared.Return(second);
        }
    }

    private async Task PutSingleAsync(BlockBlobClient blob, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        using var body = new ReadOnlyMemoryStream(data);
        // One Put Blob request: Azure stores the blob only when the whole body (matching its MD5) arrived.
        await blob.UploadAsync(body, new BlobUploadOptions
        {
            AccessTier = _options.BlobTier,
            // The SDK hashes the body itself here: it refuses a precalculated hash on its (partitioning) upload path,
            // which a transfer size above the body's length keeps to one request.
            TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 },
            TransferOptions = new StorageTransferOptions { InitialTransferSize = data.Length + 1L, MaximumTransferSize = data.Length + 1L },
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (_containerReady)
            return;
        try
        {
            if (await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false) is not null)
                AzureLog.ContainerCreated(_logger, _container.Name);
        }
        catch (RequestFailedException e) when (e.Status == 403)
        {
            // A SAS limited to one container may not create it; the upload itself tells whether it exists.
        }
        _containerReady = true;
    }

    /// <inheritdoc />
    public Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default) => GetFromAsync(name, 0, cancellationToken);

    /// <summary>Opens a file from byte <paramref name="offset"/> on with a ranged download (<c>x-ms-range: bytes=offset-</c>).</summary>
    /// <param name="name">The file name.</param>
    /// <param name="offset">The first byte to read; at or past the end gives an empty stream.</param>
    /// <param name="cancellationToken">Cancels opening the file.</param>
    public async Task<Stream> GetFromAsync(string name, long offset, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        BackendFileName.Validate(name);
        var what = offset == 0 ? $"download of {name}" : $"download of {name} from byte {offset}";
        try
        {
            var response = await _container.GetBlobClient(name).DownloadStreamingAsync(new BlobDownloadOptions
            {
                Range = offset == 0 ? default : new HttpRange(offset),
            }, cancellationToken).ConfigureAwait(false);
            var result = response.Value;
            // A server that ignores the range would send the file from its start again: never hand that out as the rest.
            if (offset > 0 && response.GetRawResponse().Status != 206)
            {
                await result.Content.DisposeAsync().ConfigureAwait(false);
                throw new BackendException(BackendErrorKind.Permanent, $"Azure answered the {what} at {DisplayName} without the byte range.");
            }
            return new AzureBlobReadStream(result.Content, result.Details.ContentLength, $"{name} at {DisplayName}");
        }
        catch (RequestFailedException e) when (offset > 0 && e.Status == 416)
        {
            return Stream.Null;   // the offset is the end of the file: nothing is left to read
        }
        catch (Exception e) when (Translate(e, what, cancellationToken) is { } error)
        {
            throw error;
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        BackendFileName.ValidateAll(names);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // Missing blobs (or a missing container) are not errors, as the contract asks.
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConnections, CancellationToken = cancellationToken },
                async (name, token) =>
                {
                    try
                    {
                        await _container.DeleteBlobIfExistsAsync(name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: token).ConfigureAwait(false);
                    }
                    catch (RequestFailedException e) when (e.ErrorCode == "ContainerNotFound")
                    {
                    }
                }).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, "delete", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _ownedHttpClient?.Dispose();
        return ValueTask.CompletedTask;
    }

    private BackendException? Translate(Exception e, string what, CancellationToken cancellationToken) =>
        AzureErrorTranslator.Translate(e, what, $" at {DisplayName}", cancellationToken);

    private static bool IsValidName(string name) =>
        name is not ("." or "..") && name.AsSpan().IndexOfAny('/', '\\', '\0') < 0;
}
