using System.Buffers.Binary;

namespace Duplicity.Rsync;

/// <summary>
/// Writes an MD4 + rollsum signature (strong length 8) of data fed in chunks of any size, byte for
/// byte what <c>rdiff -H md4 -R rollsum -S 8 -b BLOCK signature</c> writes. Only one block is buffered.
/// </summary>
internal sealed class SignatureBuilder
{
    private const int EntryLength = 4 + SignatureParameters.StrongSumLength;
    private const int EntriesPerFlush = 4096;

    private readonly int _blockLength;
    private readonly Stream _output;
    private readonly byte[] _partial;
    private readonly byte[] _pendingOutput = new byte[EntryLength * EntriesPerFlush];
    private int _partialLength;
    private int _pendingLength;
    private bool _completed;

    /// <summary>Starts a signature; the 12-byte header is written to <paramref name="output"/> at once.</summary>
    public SignatureBuilder(int blockLength, Stream output)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockLength);
        ArgumentNullException.ThrowIfNull(output);
        _blockLength = blockLength;
        _output = output;
        _partial = new byte[blockLength];

        Span<byte> header = stackalloc byte[SignatureParameters.HeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(header, SignatureParameters.Md4SignatureMagic);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)blockLength);
        BinaryPrimitives.WriteUInt32BigEndian(header[8..], SignatureParameters.StrongSumLength);
        output.Write(header);
    }

    /// <summary>Number of input bytes consumed so far.</summary>
    public long BytesConsumed { get; private set; }

    /// <summary>Feeds the next piece of the file.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        BytesConsumed += data.Length;

        if (_partialLength > 0)
        {
            int take = Math.Min(data.Length, _blockLength - _partialLength);
            data[..take].CopyTo(_partial.AsSpan(_partialLength));
            _partialLength += take;
            data = data[take..];
            if (_partialLength < _blockLength)
            {
                return;
            }

            AddBlock(_partial);
            _partialLength = 0;
        }

        // Runs of eight whole blocks hash in parallel; the rest one at a time.
        if (Md4Parallel.IsSupported)
        {
            int eight = Md4Parallel.Lanes * _blockLength;
            Span<byte> digests = stackalloc byte[Md4Parallel.Lanes * Md4.HashSizeInBytes];
            while (data.Length >= eight)
            {
                Md4Parallel.HashEight(data, _blockLength, digests);
                for (int i = 0; i < Md4Parallel.Lanes; i++)
                {
                    AddEntry(RollingChecksum.Of(data.Slice(i * _blockLength, _blockLength)), digests.Slice(i * Md4.HashSizeInBytes));
                }

                data = data[eight..];
            }
        }

        while (data.Length >= _blockLength)
        {
            AddBlock(data[.._blockLength]);
            data = data[_blockLength..];
        }

        data.CopyTo(_partial);
        _partialLength = data.Length;
    }

    /// <summary>Writes the final short block, if any, and flushes everything buffered to the output.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_partialLength > 0)
        {
            AddBlock(_partial.AsSpan(0, _partialLength));
            _partialLength = 0;
        }

        FlushPending();
        _completed = true;
    }

    private void AddBlock(ReadOnlySpan<byte> block)
    {
        Span<byte> digest = stackalloc byte[Md4.HashSizeInBytes];
        Md4.HashData(block, digest);
        AddEntry(RollingChecksum.Of(block), digest);
    }

    private void AddEntry(uint weakSum, ReadOnlySpan<byte> digest)
    {
        if (_pendingLength == _pendingOutput.Length)
        {
            FlushPending();
        }

        Span<byte> entry = _pendingOutput.AsSpan(_pendingLength, EntryLength);
        BinaryPrimitives.WriteUInt32BigEndian(entry, weakSum);
        digest[..SignatureParameters.StrongSumLength].CopyTo(entry[4..]);
        _pendingLength += EntryLength;
    }

    private void FlushPending()
    {
        _output.Write(_pendingOutput, 0, _pendingLength);
        _pendingLength = 0;
    }
}
