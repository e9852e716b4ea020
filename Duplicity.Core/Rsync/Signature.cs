using System.Buffers.Binary;

namespace Duplicity.Rsync;

/// <summary>
/// A parsed MD4 + rollsum signature held in memory, the basis description a delta is computed
/// against: 4 + strong-length bytes per block in segments of <see cref="SegmentBlocks"/> blocks, plus
/// the lookup index. Segments, not one array grown by doubling, so that a file of millions of blocks
/// (a 6 GiB file has 3 million) costs what its blocks need, with no copy at twice the size on the way
/// and no single huge allocation a lying header could ask for. Past <see cref="DefaultSpillAfterBlocks"/> blocks,
/// when given a folder, the strong sums go to a private temporary file (<see cref="SpilledStrongSums"/>), which
/// <see cref="Dispose"/> deletes.
/// </summary>
internal sealed class Signature : IDisposable
{
    /// <summary>Largest block length accepted, so a hostile header cannot force huge buffers.</summary>
    public const int MaxBlockLength = 1 << 24;

    /// <summary>Blocks per storage segment (a power of two).</summary>
    internal const int SegmentBlocks = 1 << SegmentShift;

    private const int SegmentShift = 16;

    /// <summary>Most blocks a signature may have (a 32 TiB file at the largest block length duplicity uses).</summary>
    private const int MaxBlocks = 1 << 28;
    private const int ReadChunk = 64 * 1024;

    /// <summary>
    /// Blocks after which the strong sums move to a file (8 segments: 4 MiB of 8-byte sums, a file of about
    /// 1 GiB at duplicity's 2 KiB blocks); smaller signatures, nearly all of them, stay in memory.
    /// </summary>
    internal const int DefaultSpillAfterBlocks = 8 * SegmentBlocks;

    private readonly uint[][] _weakSums;
    private readonly byte[][] _strongSums;
    private readonly SpilledStrongSums? _spilled;
    private WeakSumIndex? _index;

    private Signature(int blockLength, int strongLength, int blockCount, uint[][] weakSums, byte[][] strongSums, SpilledStrongSums? spilled)
    {
        BlockLength = blockLength;
        StrongLength = strongLength;
        BlockCount = blockCount;
        _weakSums = weakSums;
        _strongSums = strongSums;
        _spilled = spilled;
    }

    /// <summary>Whether the strong sums are in a temporary file rather than in memory.</summary>
    internal bool StrongSumsSpilled => _spilled != null;

    /// <summary>Block length declared in the header.</summary>
    public int BlockLength { get; }

    /// <summary>Bytes of MD4 kept per block (1..16).</summary>
    public int StrongLength { get; }

    /// <summary>Number of blocks.</summary>
    public int BlockCount { get; }

    /// <summary>Weak-sum lookup, built on first use.</summary>
    public WeakSumIndex Index => _index ??= new WeakSumIndex(this);

    /// <summary>Weak sum of block <paramref name="block"/>.</summary>
    public uint WeakSum(int block) => _weakSums[block >> SegmentShift][block & (SegmentBlocks - 1)];

    /// <summary>Truncated strong sum of block <paramref name="block"/>; the span is valid until the next call.</summary>
    /// <exception cref="IOException">Spilled sums could not be read back.</exception>
    public ReadOnlySpan<byte> StrongSum(int block) => _spilled != null
        ? _spilled.Get(block)
        : _strongSums[block >> SegmentShift].AsSpan((block & (SegmentBlocks - 1)) * StrongLength, StrongLength);

    /// <summary>Deletes the temporary file of spilled strong sums, if any.</summary>
    public void Dispose() => _spilled?.Dispose();

    /// <summary>The weak sums of blocks <c>k * SegmentBlocks</c> onwards (only the first entries of the last segment are blocks).</summary>
    internal ReadOnlySpan<uint> WeakSumSegment(int k) => _weakSums[k];

    /// <summary>Parses a whole signature held in memory.</summary>
    /// <exception cref="ArchiveCorruptException">Bad magic, bad header values or a truncated entry.</exception>
    public static Signature Parse(ReadOnlySpan<byte> data)
    {
        var parser = new Parser(data.Length, null, 0);
        parser.Consume(data);
        return parser.Finish();
    }

    /// <summary>Reads a signature from the current position of <paramref name="input"/> to its end.</summary>
    /// <exception cref="ArchiveCorruptException">Bad magic, bad header values or a truncated entry.</exception>
    public static Signature Read(Stream input) => Read(input, new byte[ReadChunk]);

    /// <summary>Reads a signature from the current position of <paramref name="input"/> to its end, through <paramref name="chunk"/>.</summary>
    /// <exception cref="ArchiveCorruptException">Bad magic, bad header values or a truncated entry.</exception>
    public static Signature Read(Stream input, byte[] chunk) => Read(input, chunk, null);

    /// <summary>
    /// Reads a signature from the current position of <paramref name="input"/> to its end, through
    /// <paramref name="chunk"/>; with <paramref name="spillDirectory"/>, the strong sums past
    /// <paramref name="spillAfterBlocks"/> blocks (a multiple of <see cref="SegmentBlocks"/>) go to a file there.
    /// </summary>
    /// <exception cref="ArchiveCorruptException">Bad magic, bad header values or a truncated entry.</exception>
    public static Signature Read(Stream input, byte[] chunk, string? spillDirectory, int spillAfterBlocks = DefaultSpillAfterBlocks)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(chunk);
        if (spillAfterBlocks <= 0 || spillAfterBlocks % SegmentBlocks != 0)
            throw new ArgumentOutOfRangeException(nameof(spillAfterBlocks), spillAfterBlocks, "A positive multiple of the segment size.");
        var parser = new Parser(RemainingLength(input), spillDirectory, spillAfterBlocks);
        try
        {
            int read;
            while ((read = input.Read(chunk, 0, chunk.Length)) > 0)
            {
                parser.Consume(chunk.AsSpan(0, read));
            }

            return parser.Finish();
        }
        catch
        {
            parser.Abandon();
            throw;
        }
    }

    /// <summary>Reads a signature from the current position of <paramref name="input"/> to its end.</summary>
    /// <exception cref="ArchiveCorruptException">Bad magic, bad header values or a truncated entry.</exception>
    public static async Task<Signature> ReadAsync(Stream input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var parser = new Parser(RemainingLength(input), null, 0);
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
        private readonly string? _spillDirectory;
        private readonly int _spillAfterBlocks;
        private SpilledStrongSums? _spilled;
        private readonly byte[] _carry = new byte[4 + Md4.HashSizeInBytes];
        private int _carryLength;
        private bool _headerRead;
        private int _blockLength;
        private int _strongLength;
        private int _entryLength;
        private readonly List<uint[]> _weak = [];
        private readonly List<byte[]> _strong = [];
        private uint[] _lastWeak = [];
        private byte[] _lastStrong = [];
        private int _count;

        public Parser(long sizeHint, string? spillDirectory, int spillAfterBlocks)
        {
            _sizeHint = sizeHint;
            _spillDirectory = spillDirectory;
            _spillAfterBlocks = spillAfterBlocks;
        }

        /// <summary>Deletes the spill file of a parse that failed.</summary>
        public void Abandon() => _spilled?.Dispose();

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

            _spilled?.CompleteWriting();
            return new Signature(_blockLength, _strongLength, _count, [.. _weak], [.. _strong], _spilled);
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

            // The first segment sized from the stream length when known (small files have one block;
            // a lie costs at most one segment); segments then grow to full size and are added.
            long expected = (_sizeHint - SignatureParameters.HeaderLength) / _entryLength;
            int first = _sizeHint > 0 ? (int)Math.Clamp(expected, 0, SegmentBlocks) : 1024;
            _lastWeak = new uint[first];
            _lastStrong = new byte[first * _strongLength];
            _weak.Add(_lastWeak);
            _strong.Add(_lastStrong);
        }

        private void AddEntry(ReadOnlySpan<byte> entry)
        {
            int at = _count & (SegmentBlocks - 1);
            if (at == 0 && _count > 0)
            {
                // The last segment is full: the next one, at full size.
                if (_count == MaxBlocks)
                {
                    throw new ArchiveCorruptException("Signature has too many blocks.");
                }

                if (_spilled == null && _spillDirectory != null && _count >= _spillAfterBlocks)
                    StartSpilling();
                _lastWeak = new uint[SegmentBlocks];
                _weak.Add(_lastWeak);
                if (_spilled == null)
                {
                    _lastStrong = new byte[SegmentBlocks * _strongLength];
                    _strong.Add(_lastStrong);
                }
            }
            else if (at == _lastWeak.Length)
            {
                // The first segment was sized small: it grows (at most one segment's copy).
                int grown = Math.Min(Math.Max(1024, at * 2), SegmentBlocks);
                Array.Resize(ref _lastWeak, grown);
                Array.Resize(ref _lastStrong, grown * _strongLength);
                _weak[^1] = _lastWeak;
                _strong[^1] = _lastStrong;
            }

            _lastWeak[at] = BinaryPrimitives.ReadUInt32BigEndian(entry);
            if (_spilled != null)
                _spilled.Append(entry.Slice(4, _strongLength));
            else
                entry.Slice(4, _strongLength).CopyTo(_lastStrong.AsSpan(at * _strongLength));
            _count++;
        }

        // At a segment boundary, every segment so far full: they move to the file and are let go.
        private void StartSpilling()
        {
            _spilled = SpilledStrongSums.Create(_spillDirectory!, _strongLength);
            foreach (var segment in _strong)
                _spilled.Append(segment);
            _strong.Clear();
            _lastStrong = [];
        }
    }
}
