using System.Buffers;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.S3;

/// <summary>
/// One multipart upload: parts are read from the source one after another and uploaded in parallel
/// (at most <see cref="S3BackendOptions.MultipartMaxConcurrency"/> at once, so memory stays bounded by
/// that many chunks). Any failure or cancellation aborts the upload, so no object becomes visible.
/// </summary>
internal sealed class S3MultipartUpload
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _key;
    private readonly S3BackendOptions _options;
    private readonly int _chunkSize;
    private readonly ILogger _logger;

    public S3MultipartUpload(IAmazonS3 client, string bucket, string key, S3BackendOptions options, int chunkSize, ILogger logger)
    {
        _logger = logger;
        _client = client;
        _bucket = bucket;
        _key = key;
        _options = options;
        _chunkSize = chunkSize;
    }

    /// <summary>Uploads <paramref name="firstChunk"/> (full, rented; returned to the pool here) and the rest of <paramref name="source"/>.</summary>
    public async Task RunAsync(string fileName, byte[] firstChunk, Stream source, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = _bucket, Key = _key };
        S3UploadSettings.Apply(initiate, _options, fileName);
        string uploadId;
        try
        {
            uploadId = (await _client.InitiateMultipartUploadAsync(initiate, cancellationToken).ConfigureAwait(false)).UploadId;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(firstChunk);
            throw;
        }
        S3Log.MultipartStarted(_logger, fileName, _bucket, _chunkSize);

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(_options.MultipartMaxConcurrency);
        var parts = new List<Task<PartETag>>();
        var md5s = new List<byte[]>();
        try
        {
            byte[]? chunk = firstChunk;
            int length = _chunkSize;
            int partNumber = 0;
            try
            {
                while (true)
                {
                    if (++partNumber > 10_000)
                        throw new BackendException(BackendErrorKind.Permanent,
                            $"S3 allows at most 10,000 parts: raise the multipart chunk size for {fileName}.");
                    #pragma warning disable CA5351 // S3 mandates MD5 for Content-MD5 and ETags (integrity of the transfer; it protects no secret).
                    var md5 = MD5.HashData(chunk.AsSpan(0, length));
#pragma warning restore CA5351
                    md5s.Add(md5);
                    // A slot per part in flight bounds memory to MultipartMaxConcurrency chunks plus the one being read.
                    await slots.WaitAsync(failed.Token).ConfigureAwait(false);
                    parts.Add(UploadPartAsync(uploadId, partNumber, chunk, length, md5, slots, failed));
                    chunk = null;   // the part task returns it to the pool
                    if (length < _chunkSize)
                        break;

                    chunk = ArrayPool<byte>.Shared.Rent(_chunkSize);
                    length = await SourceRead.ChunkAsync(source, chunk.AsMemory(0, _chunkSize), failed.Token).ConfigureAwait(false);
                    if (length == 0)
                        break;
                }
            }
            finally
            {
                if (chunk is not null)
                    ArrayPool<byte>.Shared.Return(chunk);
            }

            var etags = await Task.WhenAll(parts).ConfigureAwait(false);
            var complete = new CompleteMultipartUploadRequest { BucketName = _bucket, Key = _key, UploadId = uploadId, PartETags = [.. etags] };
            var response = await _client.CompleteMultipartUploadAsync(complete, cancellationToken).ConfigureAwait(false);
            VerifyCombinedETag(response.ETag, md5s, fileName);
            S3Log.MultipartCompleted(_logger, fileName, etags.Length);
        }
        catch (Exception e)
        {
            S3Log.MultipartAborted(_logger, fileName, parts.Count);
#pragma warning disable CA1849 // Deliberate: the parts in flight must see the cancellation before they are awaited below.
            failed.Cancel();
#pragma warning restore CA1849
            try { await Task.WhenAll(parts).ConfigureAwait(false); } catch { /* the first error is rethrown below */ }
            await AbortAsync(uploadId).ConfigureAwait(false);
            // Prefer a part's own error over the cancellation it caused elsewhere (the source's error stays first).
            if (e is not SourceRead.Failure && !cancellationToken.IsCancellationRequested && FirstFault(parts) is { } fault)
                await fault.ConfigureAwait(false);
            throw;
        }
    }

    private async Task<PartETag> UploadPartAsync(string uploadId, int partNumber, byte[] chunk, int length, byte[] md5,
        SemaphoreSlim slots, CancellationTokenSource failed)
    {
        try
        {
            try
            {
                using var body = new MemoryStream(chunk, 0, length, writable: false);
                var request = new UploadPartRequest
                {
                    BucketName = _bucket,
                    Key = _key,
                    UploadId = uploadId,
                    PartNumber = partNumber,
                    PartSize = length,
                    InputStream = body,
                    MD5Digest = Convert.ToBase64String(md5),
                    UseChunkEncoding = !_options.DisableChunkedEncoding,
                };
                var response = await _client.UploadPartAsync(request, failed.Token).ConfigureAwait(false);
                var etag = S3UploadSettings.Unquote(response.ETag);
                if (S3UploadSettings.ETagIsMd5(_options) && etag.Length == 32 && etag != Convert.ToHexStringLower(md5))
                    throw new BackendException(BackendErrorKind.Transient,
                        $"S3 stored part {partNumber} of {_key} with a different MD5 than was sent: the data was corrupted in transit.");
                return new PartETag(partNumber, response.ETag);
            }
            finally
            {
                slots.Release();
            }
        }
        catch
        {
#pragma warning disable CA1849 // Deliberate: a synchronous signal to the reader and the other parts before this part's error propagates.
            failed.Cancel();   // stop the reader and the other parts
#pragma warning restore CA1849
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private void VerifyCombinedETag(string? etag, List<byte[]> md5s, string fileName)
    {
        // AWS (and Swift) answer MD5(concatenated part MD5s) + "-" + part count; other servers may differ.
        var text = S3UploadSettings.Unquote(etag);
        var dash = text.IndexOf('-');
        if (!S3UploadSettings.ETagIsMd5(_options) || dash != 32 || text[(dash + 1)..] != md5s.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))
            return;
        var all = new byte[md5s.Count * 16];
        for (int i = 0; i < md5s.Count; i++)
            md5s[i].CopyTo(all, i * 16);
        #pragma warning disable CA5351 // S3 mandates MD5 for Content-MD5 and ETags (integrity of the transfer; it protects no secret).
        if (text[..dash] != Convert.ToHexStringLower(MD5.HashData(all)))
#pragma warning restore CA5351
            throw new BackendException(BackendErrorKind.Transient, $"S3 assembled {fileName} from other parts than were sent.");
    }

    private async Task AbortAsync(string uploadId)
    {
        try
        {
            // Not the caller's token: the abort must happen even when the upload was cancelled.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _client.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = _bucket, Key = _key, UploadId = uploadId }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Best effort (the server may be gone; s3rver does not implement it): an unfinished
            // multipart upload is never visible as an object, and bucket lifecycle rules reap it.
        }
    }

    private static Task<PartETag>? FirstFault(List<Task<PartETag>> parts)
    {
        foreach (var p in parts)
            if (p.IsFaulted)
                return p;
        return null;
    }
}
