namespace Duplicity.IO;

/// <summary>
/// Makes the first bytes of a forward-only stream re-readable: it reports itself seekable while the
/// position stays within the first <see cref="HeadLength"/> bytes, so a reader that peeks and rewinds
/// (BouncyCastle's armor detection insists on a seekable stream) works on network downloads too.
/// </summary>
internal sealed class RewindableHeadStream(Stream inner) : ReadOnlyStream
{
    /// <summary>How many leading bytes can be read again.</summary>
    public const int HeadLength = 4096;

    private readonly byte[] _head = new byte[HeadLength];
    private int _headFilled;
    private long _position;

    public override bool CanSeek => _position <= HeadLength;

    public override long Position
    {
        get => _position;
        set
        {
            if (value < 0 || value > _headFilled || _position > HeadLength)
                throw new NotSupportedException("Only the first bytes of this stream can be read again.");
            _position = value;
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => throw new NotSupportedException("Only the first bytes of this stream can be read again."),
    };

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        if (_position < _headFilled)
        {
            int replay = (int)Math.Min(buffer.Length, _headFilled - _position);
            _head.AsSpan((int)_position, replay).CopyTo(buffer);
            _position += replay;
            return replay;
        }
        int n = inner.Read(buffer);
        if (n > 0 && _position < HeadLength && _position == _headFilled)
        {
            int keep = (int)Math.Min(n, HeadLength - _position);
            buffer[..keep].CopyTo(_head.AsSpan(_headFilled));
            _headFilled += keep;
        }
        _position += n;
        return n;
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
