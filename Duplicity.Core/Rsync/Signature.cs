using System.Buffers.Binary;

namespace Duplicity.Rsync;

/// <summary>
/// A parsed MD4 + rollsum signature held in memory (about 16 bytes per block plus the lookup
/// index), the basis description a delta is computed against.
/// </summary>
internal sealed class Signature
{
    /// <summary>Largest block length accepted, so a hostile header cannot force huge buffers.</summary>
    public const int MaxBlockLength = 1 << 24;

    private const int ReadChunk = 64 * 1024;

    private readonly uint[] _weakSums;
    private readonly byte[] _strongSums;
    private WeakSumIndex? _index;

    private Signature(int blockLength, int strongLength, int blockCount, uint[] weakSums, byte[] strongSums)
    {
        BlockLength = blockLength;
        StrongLength = strongLength;
        BlockCount = blockCount;
        _weakSums = weakSums;
        _strongSums = strongSums;
    }

    /// <summary>Block length declared in the header.</summary>
    public int BlockLength { get; }

    /// <summary>Bytes of MD4 kept per block (1..16).</summary>
    public int StrongLength { get; }

    /// <summary>Number of blocks.</summary>
    public int BlockCount { get; }

    /// <summary>Weak-sum lookup, built on first use.</summary>
    public WeakSumIndex Index => _index ??= new WeakSumIndex(_weakSums, BlockCount);

    /// <summary>Weak sum of block <paramref name="block"/>.</summary>
    public uint WeakSum(int block) => _weakSums[block];

    /// <summary>Truncated strong sum of block <paramref name="block"/>.</summary>
    public ReadOnlySpan<byte> StrongSum(int block) => _strongSums.AsSpan(block * StrongLength, StrongLength);

    /// <summary>Parses a whole signature held in memory.</summary>
    /// <exception cref="ArchiveCorruptException">Bad magic, bad header values or a truncated entry.</exception>
    public static Signature Parse(ReadOnlySpan<byte> data)
    {
        var parser = new Parser(data.Length);
        parser.Consume(data);
        return parser.Finish();
    }

    /// <summary>Reads a signature from the current position of <paramref name="input"/> to its end.</summary>
    /// <exception cref="ArchiveCorruptException">Bad magic, bad header values or a truncated entry.</exception>
    public static Signature Read(Stream input) => Read(input, new byte[ReadChunk]);

    /// <summary>Reads a signature from the current position of <paramref name="input"/> to its end, through <paramref name="chunk"/>.</summary>
    /// <exception cref="ArchiveCorruptException">Bad magic, bad header values or a truncated entry.</exception>
    public static Signature Read(Stream input, byte[] chunk)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(chunk);
        var parser = new Parser(RemainingLength(input));
        int read;
        while ((read = input.Read(chunk, 0, chunk.Length)) > 0)
        {
            parser.Consume(chunk.AsSpan(0, read));
        }

        return parser.Finish();
    }

    /// <summary>Reads a signature from the current position of <paramref name="input"/> to its end.</summary>
    /// <exception cref="ArchiveCorruptException">Bad magic, bad header values or a truncated entry.</exception>
    public static async Task<Signature> ReadAsync(Stream input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var parser = new Parser(RemainingLength(input));
        byte[] chunk = new byte[ReadChunk];
        int read;
        while ((read = await input.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            parser.Consume(chunk.AsSpan(0, read));
        }

        return parser.Finish();
    }

    private static long RemainingLength(Stream input)
    {
        try
        {
            return input.CanSeek ? Math.Max(0, input.Length - input.Position) : 0;
        }
        catch (NotSupportedException)
        {
            return 0;
        }
    }

    /// <summary>Incremental parser: header first, then fixed-size entries in any chunking.</summary>
    private sealed class Parser
    {
        private readonly long _sizeHint;
        private readonly byte[] _carry = new byte[4 + Md4.HashSizeInBytes];
        private int _carryLength;
        private bool _headerRead;
        private int _blockLength;
        private int _strongLength;
        private int _entryLength;
        private uint[] _weak = [];
        private byte[] _strong = [];
        private int _count;

        public Parser(long sizeHint) => _sizeHint = sizeHint;

        public void Consume(ReadOnlySpan<byte> data)
        {
            if (!_headerRead)
            {
                int take = Math.Min(SignatureParameters.HeaderLength - _carryLength, data.Length);
                data[..take].CopyTo(_carry.AsSpan(_carryLength));
                _carryLength += take;
                data = data[take..];
                if (_carryLength < SignatureParameters.HeaderLength)
                {
                    return;
                }

                ReadHeader(_carry);
                _carryLength = 0;
            }

            if (_carryLength > 0)
            {
                int take = Math.Min(_entryLength - _carryLength, data.Length);
                data[..take].CopyTo(_carry.AsSpan(_carryLength));
                _carryLength += take;
                data = data[take..];
                if (_carryLength < _entryLength)
                {
                    return;
                }

                AddEntry(_carry);
                _carryLength = 0;
            }

            while (data.Length >= _entryLength)
            {
                AddEntry(data);
                data = data[_entryLength..];
            }

            data.CopyTo(_carry);
            _carryLength = data.Length;
        }

        public Signature Finish()
        {
            if (!_headerRead)
            {
                throw new ArchiveCorruptException($"Signature is truncated: {_carryLength} of 12 header bytes.");
            }

            if (_carryLength != 0)
            {
                throw new ArchiveCorruptException($"Signature is truncated: its last entry has {_carryLength} of {_entryLength} bytes.");
            }

            return new Signature(_blockLength, _strongLength, _count, _weak, _strong);
        }

        private void ReadHeader(ReadOnlySpan<byte> header)
        {
            uint magic = BinaryPrimitives.ReadUInt32BigEndian(header);
            uint blockLength = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
            uint strongLength = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
            if (magic != SignatureParameters.Md4SignatureMagic)
            {
                throw new ArchiveCorruptException($"Not an MD4 librsync signature: magic 0x{magic:x8}, expected 0x{SignatureParameters.Md4SignatureMagic:x8}.");
            }

            if (blockLength == 0 || blockLength > MaxBlockLength)
            {
                throw new ArchiveCorruptException($"Signature block length {blockLength} is out of range.");
            }

            if (strongLength == 0 || strongLength > Md4.HashSizeInBytes)
            {
                throw new ArchiveCorruptException($"Signature strong sum length {strongLength} is out of range for MD4.");
            }

            _blockLength = (int)blockLength;
            _strongLength = (int)strongLength;
            _entryLength = 4 + _strongLength;
            _headerRead = true;

            // Size the arrays from the stream length when known; they still grow if it lied.
            long expected = Math.Min((_sizeHint - SignatureParameters.HeaderLength) / _entryLength, 1 << 24);
            if (expected > 0)
            {
                _weak = new uint[expected];
                _strong = new byte[expected * _strongLength];
            }
        }

        private void AddEntry(ReadOnlySpan<byte> entry)
        {
            if (_count == _weak.Length)
            {
                if (_count == Array.MaxLength / Md4.HashSizeInBytes)
                {
                    throw new ArchiveCorruptException("Signature has too many blocks.");
                }

                int grown = (int)Math.Min(Math.Max(1024L, _count * 2L), Array.MaxLength / Md4.HashSizeInBytes);
                Array.Resize(ref _weak, grown);
                Array.Resize(ref _strong, grown * _strongLength);
            }

            _weak[_count] = BinaryPrimitives.ReadUInt32BigEndian(entry);
            entry.Slice(4, _strongLength).CopyTo(_strong.AsSpan(_count * _strongLength));
            _count++;
        }
    }
}
