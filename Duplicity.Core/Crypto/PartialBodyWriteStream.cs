namespace Duplicity.Crypto;

/// <summary>
/// Writes one new-format OpenPGP packet of unknown length: a header, then 64 KiB partial-body chunks,
/// then a final chunk with a definite length on dispose. Bounded memory; the output stays open.
/// </summary>
internal sealed class PartialBodyWriteStream : Stream
{
    private const int ChunkBits = 16;
    // A reader entering a packet at a seek point relies on this size (see PartialBodyLayout).
    private const int ChunkSize = PartialBodyLayout.ChunkSize;
    private readonly Stream _output;
    private readonly byte[] _buffer = new byte[ChunkSize];
    private int _filled;
    private bool _finished;

    /// <summary>Bytes held for the next chunk (written out later at their size, plus a length byte).</summary>
    public int BufferedBytes => Volatile.Read(ref _filled);

    public PartialBodyWriteStream(Stream output, int tag)
    {
        _output = output;
        _output.WriteByte((byte)(0xC0 | tag));
    }

    public override void Write(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (data.Length > 0)
        {
            var n = Math.Min(ChunkSize - _filled, data.Length);
            data[..n].CopyTo(_buffer.AsSpan(_filled));
            _filled += n;
            data = data[n..];
            if (_filled == ChunkSize)
            {
                _output.WriteByte(0xE0 | ChunkBits);
                _output.Write(_buffer, 0, ChunkSize);
                _filled = 0;
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Lets an asynchronous layer below (the parallel compressor) wait without blocking a thread.</summary>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (data.Length > 0)
        {
            var n = Math.Min(ChunkSize - _filled, data.Length);
            data.Span[..n].CopyTo(_buffer.AsSpan(_filled));
            _filled += n;
            data = data[n..];
            if (_filled == ChunkSize)
            {
                _output.WriteByte(0xE0 | ChunkBits);
                await _output.WriteAsync(_buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false);
                _filled = 0;
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            _finished = true;
            Span<byte> header = stackalloc byte[5];
            _output.Write(header[..PacketLength.Encode(_filled, header)]);
            _output.Write(_buffer, 0, _filled);
        }
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_finished;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>OpenPGP packet length encodings.</summary>
internal static class PacketLength
{
    /// <summary>New-format definite length; returns the bytes used (1, 2 or 5).</summary>
    public static int Encode(int length, Span<byte> into)
    {
        if (length < 192) { into[0] = (byte)length; return 1; }
        if (length < 8384)
        {
            var v = length - 192;
            into[0] = (byte)((v >> 8) + 192);
            into[1] = (byte)v;
            return 2;
        }
        into[0] = 0xFF;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(into[1..], length);
        return 5;
    }

    /// <summary>Writes a whole packet with an old-format header (as gpg writes session-key packets).</summary>
    public static void WriteOldFormatPacket(Stream output, int tag, ReadOnlySpan<byte> body)
    {
        if (body.Length < 256)
        {
            output.WriteByte((byte)(0x80 | (tag << 2)));
            output.WriteByte((byte)body.Length);
        }
        else if (body.Length < 65536)
        {
            output.WriteByte((byte)(0x80 | (tag << 2) | 1));
            output.WriteByte((byte)(body.Length >> 8));
            output.WriteByte((byte)body.Length);
        }
        else
        {
            output.WriteByte((byte)(0x80 | (tag << 2) | 2));
            Span<byte> len = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(len, body.Length);
            output.Write(len);
        }
        output.Write(body);
    }
}
