using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Azure;

/// <summary>
/// One block upload: blocks are staged in parallel (at most <see cref="AzureBackendOptions.MaxConnections"/>
/// at once) and committed in one request at the end. Staged blocks are invisible: until the commit a
/// lister sees no blob, or the previous one of that name, unchanged. A failed upload's blocks are simply
/// never committed; Azure discards uncommitted blocks after a week, and the next commit of the name drops them.
/// </summary>
internal sealed class AzureBlockUpload
{
    // Azure's limit of blocks per blob.
    private const int MaxBlocks = 50_000;

    private readonly BlockBlobClient _blob;
    private readonly string _container;
    private readonly AzureBackendOptions _options;
    private readonly ILogger _logger;
    // Every id of every upload has the same length, as Azure requires of all ids of one blob; the random
    // part keeps the blocks of two uploads of the same name apart.
    private readonly byte[] _idPrefix = RandomNumberGenerator.GetBytes(12);

    public AzureBlockUpload(BlockBlobClient blob, string container, AzureBackendOptions options, ILogger logger)
    {
        _blob = blob;
        _container = container;
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Uploads the first <paramref name="firstLength"/> bytes of <paramref name="first"/> (staged in
    /// block-size slices; the caller keeps owning the array, which is not used after this returns) and then
    /// the rest of <paramref name="source"/>.
    /// </summary>
    public async Task RunAsync(string fileName, byte[] first, int firstLength, Stream source, CancellationToken cancellationToken)
    {
        int blockSize = (int)Math.Min(_options.MaxBlockSize, Array.MaxLength);
        AzureLog.BlockUploadStarted(_logger, fileName, _container, blockSize);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(_options.MaxConnections);
        var blocks = new List<Task>();
        var ids = new List<string>();
        try
        {
            for (int start = 0; start < firstLength; start += blockSize)
            {
                await slots.WaitAsync(failed.Token).ConfigureAwait(false);
                blocks.Add(StageAsync(NextId(ids), new ReadOnlyMemory<byte>(first, start, Math.Min(blockSize, firstLength - start)), null, slots, failed));
            }
            while (true)
            {
                var chunk = ArrayPool<byte>.Shared.Rent(blockSize);
                int length;
                try
                {
                    length = await SourceRead.ChunkAsync(source, chunk.AsMemory(0, blockSize), failed.Token).ConfigureAwait(false);
                    if (length > 0)
                        await slots.WaitAsync(failed.Token).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                    throw;
                }
                if (length == 0)
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                    break;
                }
                // A slot per block in flight bounds memory to MaxConnections blocks plus the one being read.
                blocks.Add(StageAsync(NextId(ids), chunk.AsMemory(0, length), chunk, slots, failed));
                if (length < blockSize)
                    break;
            }

            await Task.WhenAll(blocks).ConfigureAwait(false);
            await _blob.CommitBlockListAsync(ids, new CommitBlockListOptions { AccessTier = _options.BlobTier }, cancellationToken)
                .ConfigureAwait(false);
            AzureLog.BlockUploadCommitted(_logger, fileName, ids.Count);
        }
        catch (Exception e)
        {
            AzureLog.BlockUploadAbandoned(_logger, fileName, blocks.Count);
#pragma warning disable CA1849 // Deliberate: the blocks in flight must see the cancellation before they are awaited below.
            failed.Cancel();
#pragma warning restore CA1849
            try { await Task.WhenAll(blocks).ConfigureAwait(false); } catch { /* the first error is rethrown below */ }
            // Prefer a block's own error over the cancellation it caused elsewhere (the source's error stays first).
            if (e is not SourceRead.Failure && !cancellationToken.IsCancellationRequested && FirstFault(blocks) is { } fault)
                await fault.ConfigureAwait(false);
            throw;
        }
    }

    private string NextId(List<string> ids)
    {
        if (ids.Count >= MaxBlocks)
            throw new BackendException(BackendErrorKind.Permanent,
                $"Azure allows at most {MaxBlocks} blocks per blob: raise --azure-max-block-size.");
        Span<byte> raw = stackalloc byte[16];
        _idPrefix.CopyTo(raw);
        BinaryPrimitives.WriteInt32BigEndian(raw[12..], ids.Count);
        var id = Convert.ToBase64String(raw);
        ids.Add(id);
        return id;
    }

    private async Task StageAsync(string id, ReadOnlyMemory<byte> data, byte[]? rented, SemaphoreSlim slots, CancellationTokenSource failed)
    {
        try
        {
            try
            {
                using var body = new ReadOnlyMemoryStream(data);
                await _blob.StageBlockAsync(id, body, new BlockBlobStageBlockOptions
                {
                    TransferValidation = AzureUploadChecks.Md5Of(data.Span),
                }, failed.Token).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }
        catch
        {
#pragma warning disable CA1849 // Deliberate: a synchronous signal to the reader and the other blocks before this block's error propagates.
            failed.Cancel();
#pragma warning restore CA1849
            throw;
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static Task? FirstFault(List<Task> blocks)
    {
        foreach (var b in blocks)
            if (b.IsFaulted)
                return b;
        return null;
    }
}
