namespace Duplicity.Rsync;

/// <summary>
/// Computes a librsync delta of new data, fed in chunks of any size, against a <see cref="Signature"/>,
/// byte for byte what librsync 2.3.2's <c>rdiff delta</c> writes (rsync.md 5.2). Memory stays bounded:
/// the pending literal (at most 32768 bytes), one window and one input chunk.
/// </summary>
internal sealed class DeltaGenerator
{
    /// <summary>librsync flushes a literal run once it holds this many bytes.</summary>
    private const int MaxLiteral = 32768;

    // Large enough that the windows hashed ahead (eight blocks) rarely run past the buffered input.
    private const int InputSpace = 256 * 1024;

    private const int MinInputSpace = 16 * 1024;

    /// <summary>Work units (a candidate block visited, or 16 bytes hashed) available before any input is scanned.</summary>
    internal const long InitialWorkCredit = 1 << 20;

    /// <summary>Work units earned per input byte scanned. Normal data spends well under one per byte.</summary>
    internal const long WorkCreditPerByte = 1;

    private readonly Signature _basis;
    private readonly WeakSumIndex _index;
    private readonly DeltaCommandWriter _writer;
    private readonly int _blockLength;
    private readonly byte[] _buffer;

    // _buffer[_literalStart.._pos) is the pending literal; _buffer[_pos.._end) is unscanned input.
    private int _end;
    private int _pos;
    private int _literalStart;

    private bool _hasCopy;
    private long _copyOffset;
    private long _copyLength;

    // Input bytes dropped from the front of _buffer by Compact, so _discarded + position is an input offset.
    private long _discarded;
    private long _workSpent;

    // Strong sums of the block-length windows at input offsets _aheadStart + k * _blockLength, k < _aheadCount,
    // hashed eight at a time (Md4Parallel) once a block has matched: unchanged data matches block after
    // block, so the windows the scan reaches next are known before it gets there.
    private readonly byte[]? _aheadDigests;
    private long _aheadStart;
    private int _aheadCount;

    private WindowState _window;
    private int _windowLength;
    private uint _s1;
    private uint _s2;
    private byte _staleOut;
    private bool _completed;

    /// <summary>Starts a delta against <paramref name="basis"/>; the magic is written on <see cref="Complete"/> or when the first buffer fills.</summary>
    /// <param name="basis">The old file's signature.</param>
    /// <param name="output">Receives the delta.</param>
    /// <param name="expectedLength">The new file's size when known (-1: unknown): a small file gets a small input buffer, not one zeroed for nothing.</param>
    public DeltaGenerator(Signature basis, Stream output, long expectedLength = -1)
    {
        ArgumentNullException.ThrowIfNull(basis);
        ArgumentNullException.ThrowIfNull(output);
        _basis = basis;
        _index = basis.Index;
        _writer = new DeltaCommandWriter(output);
        _blockLength = basis.BlockLength;
        int inputSpace = expectedLength < 0 ? InputSpace : (int)Math.Clamp(expectedLength, MinInputSpace, InputSpace);
        _buffer = new byte[MaxLiteral + _blockLength + Math.Max(inputSpace, _blockLength)];
        if (Md4Parallel.IsSupported)
        {
            _aheadDigests = new byte[Md4Parallel.Lanes * Md4.HashSizeInBytes];
        }
    }

    private enum WindowState
    {
        /// <summary>No sum yet for the window at _pos.</summary>
        None,

        /// <summary>The sum describes the window at _pos of length _windowLength.</summary>
        Valid,

        /// <summary>The sum still describes the window at _pos - 1 (which missed; its first byte is _staleOut).</summary>
        Stale,
    }

    /// <summary>
    /// Work spent checking candidate blocks so far. It never exceeds the credit earned by the input
    /// scanned (<see cref="InitialWorkCredit"/> plus <see cref="WorkCreditPerByte"/> per byte) by
    /// more than one check, so a signature whose blocks share one weak sum cannot make the search
    /// quadratic; past the credit a window simply counts as a miss (the delta stays correct, only
    /// larger). Normal inputs never come near it, so their deltas are byte for byte rdiff's.
    /// </summary>
    internal long WorkSpent => _workSpent;

    /// <summary>Delta bytes produced so far (some may still sit in the output buffer).</summary>
    public long BytesWritten => _writer.BytesWritten;

    /// <summary>Feeds the next piece of the new file.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (data.Length > 0)
        {
            if (_end == _buffer.Length)
            {
                Compact();
            }

            int take = Math.Min(data.Length, _buffer.Length - _end);
            data[..take].CopyTo(_buffer.AsSpan(_end));
            _end += take;
            data = data[take..];
            Scan(final: false);
        }
    }

    /// <summary>Processes the tail of the file, writes the last commands and END, and flushes the output.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        Scan(final: true);
        FlushLiteral();
        FlushCopy();
        _writer.End();
        _writer.Flush();
        _completed = true;
    }

    private void Scan(bool final)
    {
        if (_basis.BlockCount == 0)
        {
            ScanWithoutBlocks(final);
            return;
        }

        while (PrepareWindow(final))
        {
            int block = Probe(_s1, _s2, _pos, _windowLength);
            if (block < 0)
            {
                FlushCopy();
                block = MissRun(final);
            }

            if (block >= 0)
            {
                OnMatch(block);
            }
        }
    }

    /// <summary>
    /// Nothing can match an empty signature; librsync then sends the input as "slack" literals,
    /// one per input buffer, which for rdiff's default buffer means pieces of the block length.
    /// </summary>
    private void ScanWithoutBlocks(bool final)
    {
        while (_end - _pos >= _blockLength || (final && _end > _pos))
        {
            int length = Math.Min(_blockLength, _end - _pos);
            _writer.Literal(_buffer.AsSpan(_pos, length));
            _pos += length;
            _literalStart = _pos;
        }
    }

    /// <summary>Makes the window sum describe the window at _pos; false when more input is needed or the input is done.</summary>
    private bool PrepareWindow(bool final)
    {
        if (_window == WindowState.Stale)
        {
            int n = _windowLength;
            uint outTerm = _staleOut + RollingChecksum.CharOffset;
            if (_pos - 1 + n < _end)
            {
                _s1 += (uint)_buffer[_pos - 1 + n] - _staleOut;
                _s2 += _s1 - (uint)n * outTerm;
                _window = WindowState.Valid;
            }
            else if (final)
            {
                _s1 -= outTerm;
                _s2 -= (uint)n * outTerm;
                _windowLength = n - 1;
                _window = n > 1 ? WindowState.Valid : WindowState.None;
            }
            else
            {
                return false;
            }
        }

        if (_window == WindowState.None)
        {
            int available = _end - _pos;
            if (available == 0 || (!final && available < _blockLength))
            {
                return false;
            }

            int n = Math.Min(_blockLength, available);
            var sum = default(RollingChecksum);
            sum.Update(_buffer.AsSpan(_pos, n));
            _s1 = sum.S1;
            _s2 = sum.S2;
            _windowLength = n;
            _window = WindowState.Valid;
        }

        return true;
    }

    /// <summary>The first block (lowest index) whose weak and strong sums equal the window's, or -1.</summary>
    private int Probe(uint s1, uint s2, int position, int length)
    {
        uint weak = (s2 << 16) | (s1 & 0xFFFF);
        return _index.MayContain(weak) ? FindBlock(weak, position, length) : -1;
    }

    private int FindBlock(uint weak, int position, int length)
    {
        Span<byte> digest = stackalloc byte[Md4.HashSizeInBytes];
        bool hashed = false;
        long credit = InitialWorkCredit + (WorkCreditPerByte * (_discarded + position));
        foreach (int block in _index.Bucket(weak))
        {
            if (_workSpent >= credit)
            {
                return -1; // adversarial buckets: out of credit, this window counts as a miss
            }

            _workSpent++;
            if (_index.WeakSumOf(block) != weak)
            {
                continue;
            }

            if (!hashed)
            {
                StrongSumOfWindow(position, length, digest);
                hashed = true;
            }

            if (digest[.._basis.StrongLength].SequenceEqual(_basis.StrongSum(block)))
            {
                return block;
            }
        }

        return -1;
    }

    /// <summary>
    /// The MD4 of the window at <paramref name="position"/>: from the sums hashed ahead when they cover
    /// it, else eight windows at once when the window continues a match (the run of copies is likely to
    /// go on), else on its own. The digest is the same either way, so the delta is too.
    /// </summary>
    private void StrongSumOfWindow(int position, int length, Span<byte> digest)
    {
        int hashCost = (length >> 4) + 1;
        if (_aheadDigests is not null && length == _blockLength)
        {
            long offset = _discarded + position;
            long k = (offset - _aheadStart) / _blockLength;
            if (offset >= _aheadStart && (offset - _aheadStart) % _blockLength == 0 && k < _aheadCount)
            {
                _aheadDigests.AsSpan((int)k * Md4.HashSizeInBytes, Md4.HashSizeInBytes).CopyTo(digest);
                return; // already paid for when hashed
            }

            bool continuesMatch = _hasCopy && _pos == position;
            if (continuesMatch && position + (Md4Parallel.Lanes * length) <= _end)
            {
                Md4Parallel.HashEight(_buffer.AsSpan(position), length, _aheadDigests);
                _aheadStart = offset;
                _aheadCount = Md4Parallel.Lanes;
                _workSpent += Md4Parallel.Lanes * hashCost;
                _aheadDigests.AsSpan(0, Md4.HashSizeInBytes).CopyTo(digest);
                return;
            }
        }

        Md4.HashData(_buffer.AsSpan(position, length), digest);
        _workSpent += hashCost;
    }

    /// <summary>
    /// The per-byte path: the window at _pos missed, so its first byte joins the literal and the
    /// window slides (or shrinks at the end) until a block matches or input runs out. Returns the
    /// matching block (window Valid at _pos) or -1.
    /// </summary>
    private unsafe int MissRun(bool final)
    {
        int end = _end;
        int p = _pos;
        int literalStart = _literalStart;
        int n = _windowLength;
        uint s1 = _s1, s2 = _s2;
        int filterShift = _index.FilterShift;
        int found = -1;
        WindowState state = WindowState.Valid;

        fixed (byte* data = _buffer)
        fixed (ulong* filter = _index.Filter)
        {
            while (true)
            {
                byte outByte = data[p];
                uint outTerm = outByte + RollingChecksum.CharOffset;
                p++;
                if (p - literalStart == MaxLiteral)
                {
                    _writer.Literal(new ReadOnlySpan<byte>(data + literalStart, MaxLiteral));
                    literalStart = p;
                }

                int inAt = p - 1 + n;
                if (inAt < end)
                {
                    s1 += (uint)data[inAt] - outByte;
                    s2 += s1 - (uint)n * outTerm;
                }
                else if (final)
                {
                    if (n == 1)
                    {
                        state = WindowState.None;
                        break;
                    }

                    s1 -= outTerm;
                    s2 -= (uint)n * outTerm;
                    n--;
                }
                else
                {
                    _staleOut = outByte;
                    state = WindowState.Stale;
                    break;
                }

                uint weak = (s2 << 16) | (s1 & 0xFFFF);
                uint bit = WeakSumIndex.Mix(weak) >> filterShift;
                if ((filter[bit >> 6] & (1UL << (int)bit)) != 0)
                {
                    found = FindBlock(weak, p, n);
                    if (found >= 0)
                    {
                        break;
                    }
                }
            }
        }

        _pos = p;
        _literalStart = literalStart;
        _windowLength = n;
        _s1 = s1;
        _s2 = s2;
        _window = state;
        return found;
    }

    private void OnMatch(int block)
    {
        FlushLiteral();
        long offset = (long)block * _blockLength;
        int length = _windowLength;
        if (_hasCopy && _copyOffset + _copyLength == offset)
        {
            _copyLength += length;
        }
        else
        {
            FlushCopy();
            _hasCopy = true;
            _copyOffset = offset;
            _copyLength = length;
        }

        _pos += length;
        _literalStart = _pos;
        _window = WindowState.None;
    }

    private void FlushLiteral()
    {
        if (_pos > _literalStart)
        {
            _writer.Literal(_buffer.AsSpan(_literalStart, _pos - _literalStart));
            _literalStart = _pos;
        }
    }

    private void FlushCopy()
    {
        if (_hasCopy)
        {
            _writer.Copy(_copyOffset, _copyLength);
            _hasCopy = false;
        }
    }

    /// <summary>Moves the pending literal and unscanned input to the front of the buffer.</summary>
    private void Compact()
    {
        int keep = _end - _literalStart;
        _discarded += _literalStart;
        Buffer.BlockCopy(_buffer, _literalStart, _buffer, 0, keep);
        _pos -= _literalStart;
        _end = keep;
        _literalStart = 0;
    }
}
