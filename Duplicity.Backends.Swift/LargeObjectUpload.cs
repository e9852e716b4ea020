using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Swift;

/// <summary>
/// One Static Large Object upload: the source is cut into segments of at most the segment size, each
/// PUT to <c>&lt;container&gt;_segments/&lt;object&gt;/slo/&lt;upload id&gt;/&lt;segment size&gt;/&lt;index&gt;</c>
/// (swiftclient's layout), then the manifest is PUT under the object's name with
/// <c>?multipart-manifest=put</c>. Any failure deletes the segments already stored.
/// </summary>
internal sealed class LargeObjectUpload(SwiftBackend backend, string fileName, string objectName, long segmentSize, ILogger logger)
{
    private readonly List<(string Name, long Size, string Md5)> _segments = [];

    public async Task RunAsync(Stream source, ReadOnlyMemory<byte> head, CancellationToken cancellationToken)
    {
        await backend.EnsureSegmentContainerAsync(cancellationToken).ConfigureAwait(false);
        SwiftLog.LargeObjectStarted(logger, fileName, segmentSize);
        // A fresh id per upload: a retried or concurrent upload of the same name never mixes segments.
        var uploadId = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss.ffffff", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var segmentPrefix = $"{objectName}/slo/{uploadId}/{segmentSize}/";
        var oneByte = new byte[1];
        try
        {
            while (true)
            {
                var segmentName = segmentPrefix + _segments.Count.ToString("D8", CultureInfo.InvariantCulture);
                var body = await backend.PutObjectAsync(backend.SegmentContainer, segmentName, source, head, segmentSize, null,
                    $"upload of segment {_segments.Count} of {fileName}", cancellationToken).ConfigureAwait(false);
                _segments.Add((segmentName, body.BytesRead, body.Md5Hex));
                if (!body.UnsentHead.IsEmpty)
                {
                    head = body.UnsentHead;
                    continue;
                }
                if (body.SourceEnded || body.BytesRead < segmentSize)
                    break;
                if (source.CanSeek)
                {
                    if (source.Position >= source.Length)
                        break;
                    head = ReadOnlyMemory<byte>.Empty;
                    continue;
                }
                // The segment is full: peek one byte to learn whether another segment follows.
                if (await source.ReadAsync(oneByte, cancellationToken).ConfigureAwait(false) == 0)
                    break;
                head = oneByte.ToArray();
            }
            // An empty tail segment is refused by Swift; it can only occur for an empty first segment.
            if (_segments.Count > 1 && _segments[^1].Size == 0)
            {
                await backend.DeleteObjectAsync(backend.SegmentContainer, _segments[^1].Name, "cleanup", cancellationToken).ConfigureAwait(false);
                _segments.RemoveAt(_segments.Count - 1);
            }
            using var manifest = new MemoryStream(Encoding.UTF8.GetBytes(BuildManifest()), writable: false);
            await backend.PutObjectAsync(backend.Container, objectName, manifest, ReadOnlyMemory<byte>.Empty, long.MaxValue, "multipart-manifest=put",
                "manifest upload of " + fileName, cancellationToken,
                expectedETag: ContentCheck.LargeObjectETag(_segments.Select(s => s.Md5))).ConfigureAwait(false);
            SwiftLog.LargeObjectCompleted(logger, fileName, _segments.Count);
        }
        catch
        {
            SwiftLog.LargeObjectAborted(logger, fileName, _segments.Count);
            await DeleteSegmentsAsync().ConfigureAwait(false);
            throw;
        }
    }

    private string BuildManifest()
    {
        var entries = new JsonArray();
        // Each segment's MD5 (already matched against its ETag): Swift refuses the manifest if a segment differs.
        foreach (var (name, size, md5) in _segments)
        {
            // As a JsonNode: the generic Add<T> would reflect over T, which a trimmed or AOT build cannot.
            JsonNode entry = new JsonObject { ["path"] = "/" + backend.SegmentContainer + "/" + name, ["etag"] = md5, ["size_bytes"] = size };
            entries.Add(entry);
        }
        return entries.ToJsonString();
    }

    // Best effort and not cancellable: the caller's token may be what stopped the upload.
    private async Task DeleteSegmentsAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var (name, _, _) in _segments)
        {
            try
            {
                await backend.DeleteObjectAsync(backend.SegmentContainer, name, "cleanup of segment", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BackendException or OperationCanceledException)
            {
                // The server may be gone; the segments are unreachable garbage, never a visible file.
            }
        }
    }
}
