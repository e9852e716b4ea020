using System.Buffers.Binary;

namespace Duplicity.Rsync;

/// <summary>
/// Encodes librsync delta commands the way librsync 2.3.2 does: integers in the smallest of
/// 1/2/4/8 bytes, literals up to 64 bytes with the immediate opcodes. Output is buffered.
/// </summary>
internal sealed class DeltaCommandWriter
{
    private const byte LiteralN1 = 0x41;
    private const byte CopyBase = 0x45;
    private const int BufferLength = 64 * 1024;

    private readonly Stream _output;
    private readonly byte[] _buffer = new byte[BufferLength];
    private int _length;

    /// <summary>Starts a delta: writes the magic.</summary>
    public DeltaCommandWriter(Stream output)
    {
        _output = output;
        BinaryPrimitives.WriteUInt32BigEndian(_buffer, SignatureParameters.DeltaMagic);
        _length = 4;
    }

    /// <summary>Total bytes handed to this writer, magic included.</summary>
    public long BytesWritten { get; private set; } = 4;

    /// <summary>LITERAL command carrying <paramref name="data"/> (1..any bytes).</summary>
    public void Literal(ReadOnlySpan<byte> data)
    {
        Reserve(9);
        if (data.Length <= 64)
        {
            _buffer[_length++] = (byte)data.Length;
            BytesWritten++;
        }
        else
        {
            int width = WidthCode((ulong)data.Length);
            _buffer[_length++] = (byte)(LiteralN1 + width);
            PutInteger((ulong)data.Length, width);
            BytesWritten += 1 + (1 << width);
        }

        if (data.Length > _buffer.Length - _length)
        {
            Flush();
            if (data.Length > _buffer.Length / 2)
            {
                _output.Write(data);
                BytesWritten += data.Length;
                return;
            }
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
        BytesWritten += data.Length;
    }

    /// <summary>COPY command: <paramref name="length"/> basis bytes from <paramref name="offset"/>.</summary>
    public void Copy(long offset, long length)
    {
        Reserve(17);
        int offsetWidth = WidthCode((ulong)offset);
        int lengthWidth = WidthCode((ulong)length);
        _buffer[_length++] = (byte)(CopyBase + 4 * offsetWidth + lengthWidth);
        PutInteger((ulong)offset, offsetWidth);
        PutInteger((ulong)length, lengthWidth);
        BytesWritten += 1 + (1 << offsetWidth) + (1 << lengthWidth);
    }

    /// <summary>END command.</summary>
    public void End()
    {
        Reserve(1);
        _buffer[_length++] = 0;
        BytesWritten++;
    }

    /// <summary>Writes everything buffered to the output stream.</summary>
    public void Flush()
    {
        if (_length > 0)
        {
            _output.Write(_buffer, 0, _length);
            _length = 0;
        }
    }

    /// <summary>0, 1, 2, 3 for a value that fits 1, 2, 4, 8 bytes.</summary>
    private static int WidthCode(ulong value) =>
        value <= byte.MaxValue ? 0 : value <= ushort.MaxValue ? 1 : value <= uint.MaxValue ? 2 : 3;

    private void PutInteger(ulong value, int width)
    {
        Span<byte> target = _buffer.AsSpan(_length);
        switch (width)
        {
            case 0: target[0] = (byte)value; break;
            case 1: BinaryPrimitives.WriteUInt16BigEndian(target, (ushort)value); break;
            case 2: BinaryPrimitives.WriteUInt32BigEndian(target, (uint)value); break;
            default: BinaryPrimitives.WriteUInt64BigEndian(target, value); break;
        }

        _length += 1 << width;
    }

    private void Reserve(int bytes)
    {
        if (_buffer.Length - _length < bytes)
        {
            Flush();
        }
    }
}
