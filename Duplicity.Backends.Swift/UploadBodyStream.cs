using System.Runtime.ExceptionServices;
using System.Security.Cryptography;

namespace Duplicity.Backends.Swift;

/// <summary>
/// The body of one PUT: reads <c>head</c> first, then at most <c>limit</c> bytes in total from the source.
/// It never disposes the source (it belongs to the caller), remembers whether the source ended and any
/// exception the source threw (so it surfaces unwrapped), calls <c>onProgress</c> on every read so an
/// idle timer can be reset, and hashes what it hands out so the ETag Swift answers can be checked.
/// </summary>
internal sealed class UploadBodyStream(Stream source, ReadOnlyMemory<byte> head, long limit, Action? onProgress) : Stream
{
    // Not disposed with the stream: HttpClient disposes a request's body, and a retry after 401 sends this one again.
#pragma warning disable CA5351 // Swift's ETag is the MD5 of the body: an integrity check of the transfer, no secret is protected.
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
    private ReadOnlyMemory<byte> _head = head;
    private readonly long _startPosition = source.CanSeek ? source.Position : -1;

    /// <summary>Bytes handed to the HTTP stack so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The part of the head not sent because the limit was reached first.</summary>
    public ReadOnlyMemory<byte> UnsentHead => _head;

    /// <summary>Whether the source returned end-of-stream.</summary>
    public bool SourceEnded { get; private set; }

    /// <summary>The MD5 (lower-case hex) of the bytes handed out so far.</summary>
    public string Md5Hex => Convert.ToHexStringLower(_md5.GetCurrentHash());

    /// <summary>The exception the source threw, if any.</summary>
    public ExceptionDispatchInfo? SourceFailure { get; private set; }

    /// <summary>The exact body length when it is known without reading (seekable source, no head).</summary>
    public long? KnownLength => source.CanSeek && _head.IsEmpty && BytesRead == 0
        ? Math.Min(limit, Math.Max(0, source.Length - source.Position))
        : null;

    /// <summary>Puts the source back where it was, for a retry; false when that is impossible.</summary>
    public bool TryRewind(ReadOnlyMemory<byte> originalHead)
    {
        if (BytesRead == 0)
            return true;
        if (!source.CanSeek || !originalHead.IsEmpty)
            return false;
        source.Position = _startPosition;
        _md5.GetHashAndReset();
        BytesRead = 0;
        SourceEnded = false;
        _head = originalHead;
        return true;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        onProgress?.Invoke();
        var room = (int)Math.Min(buffer.Length, limit - BytesRead);
        if (room <= 0)
            return 0;
        if (!_head.IsEmpty)
        {
            var n = Math.Min(room, _head.Length);
            _head[..n].CopyTo(buffer);
            _head = _head[n..];
            BytesRead += n;
            _md5.AppendData(buffer.Span[..n]);
            return n;
        }
        if (SourceEnded)
            return 0;
        int read;
        try
        {
            read = await source.ReadAsync(buffer[..room], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SourceFailure = ExceptionDispatchInfo.Capture(e);
            throw;
        }
        if (read == 0)
            SourceEnded = true;
        BytesRead += read;
        _md5.AppendData(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
