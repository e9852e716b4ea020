using System.Runtime.ExceptionServices;

namespace Duplicity.Backends.WebDav;

/// <summary>
/// The body of one PUT: the caller's stream from its current position to its end. It never disposes the source
/// (it belongs to the caller), remembers any exception the source threw (so it surfaces unwrapped rather than as
/// a transport error), and calls <c>onProgress</c> on every read so an idle timer can be reset.
/// </summary>
internal sealed class UploadBodyStream(Stream source, Action onProgress) : Stream
{
    private readonly long _startPosition = source.CanSeek ? source.Position : -1;

    /// <summary>Bytes handed to the HTTP stack so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The exception the source threw, if any.</summary>
    public ExceptionDispatchInfo? SourceFailure { get; private set; }

    /// <summary>The body length when the source can tell it without reading.</summary>
    public long? KnownLength => source.CanSeek && BytesRead == 0 ? Math.Max(0, source.Length - source.Position) : null;

    /// <summary>Puts the source back where it was, for sending again; false when that is impossible.</summary>
    public bool TryRewind()
    {
        if (BytesRead == 0)
            return true;
        if (!source.CanSeek)
            return false;
        source.Position = _startPosition;
        BytesRead = 0;
        return true;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        onProgress();
        int read;
        try
        {
            read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SourceFailure = ExceptionDispatchInfo.Capture(e);
            throw;
        }
        BytesRead += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        onProgress();
        int read;
        try
        {
            read = source.Read(buffer, offset, count);
        }
        catch (Exception e)
        {
            SourceFailure = ExceptionDispatchInfo.Capture(e);
            throw;
        }
        BytesRead += read;
        return read;
    }

    // HttpClient disposes a request's content; the source stays the caller's.
    protected override void Dispose(bool disposing) => base.Dispose(disposing);

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
