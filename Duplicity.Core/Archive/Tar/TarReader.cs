using System.Buffers;
using System.Globalization;

namespace Duplicity.Archive.Tar;

/// <summary>
/// Reads tar entries from a forward-only stream (a decompressing or decrypting stream is fine):
/// ustar, pax (<c>x</c>, <c>g</c>), GNU long names and links, base-256 numbers. Reading stops at the
/// first all-zero header block (what follows is ignored, as duplicity's gpg volumes carry garbage
/// there) or at end of stream on an entry boundary. Truncation, bad checksums and impossible sizes
/// raise <see cref="ArchiveCorruptException"/>.
/// </summary>
/// <remarks>Not thread-safe. Sync and async members may be mixed but not overlapped.</remarks>
internal sealed class TarReader : IDisposable
{
    /// <summary>
    /// Largest total of pax and GNU long-name bodies accepted for one entry (and for the global pax
    /// records together); real ones are a few hundred bytes.
    /// </summary>
    public const int MaxMetadataLength = 1 << 20;

    /// <summary>Longest entry name or link target accepted (Linux paths stop at 4096 bytes).</summary>
    public const int MaxNameLength = 64 * 1024;

    private const int BlockSize = TarHeaderWriter.BlockSize;

    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private readonly byte[] _block = new byte[BlockSize];
    private readonly Dictionary<string, byte[]> _globalPax = new(StringComparer.Ordinal);
    private byte[]? _skipBuffer;
    private long _dataRemaining;
    private int _paddingRemaining;
    private bool _finished;

    /// <summary>Creates a reader over <paramref name="input"/>, which it disposes unless <paramref name="leaveOpen"/>.</summary>
    public TarReader(Stream input, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Bytes consumed from the input so far.</summary>
    public long Position { get; private set; }

    /// <summary>The entry last returned by <see cref="Next"/> (null before the first and after the end).</summary>
    public TarEntryHeader? Current { get; private set; }

    /// <summary>Data bytes of the current entry not yet read.</summary>
    public long DataRemaining => _dataRemaining;

    /// <summary>
    /// Once the end is reached: the offset where the entries end (after the last entry's padded
    /// data), i.e. where the end-of-archive blocks or the end of stream begin.
    /// </summary>
    public long? EntriesEnd { get; private set; }

    /// <summary>Moves to the next entry, skipping unread data of the current one; null at the end.</summary>
#pragma warning disable CA2012 // With useAsync false the core makes only synchronous reads, so the ValueTask has always completed here.
    public TarEntryHeader? Next() => NextCoreAsync(false, default).GetAwaiter().GetResult();
#pragma warning restore CA2012

    /// <summary>Async form of <see cref="Next"/>.</summary>
    public ValueTask<TarEntryHeader?> NextAsync(CancellationToken cancellationToken = default) => NextCoreAsync(true, cancellationToken);

    /// <summary>Reads data of the current entry; returns 0 at its end.</summary>
    public int ReadData(Span<byte> buffer)
    {
        int want = (int)Math.Min(buffer.Length, _dataRemaining);
        if (want == 0) return 0;
        int n = _input.Read(buffer[..want]);
        return AccountData(n);
    }

    /// <summary>Async form of <see cref="ReadData"/>.</summary>
    public async ValueTask<int> ReadDataAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int want = (int)Math.Min(buffer.Length, _dataRemaining);
        if (want == 0) return 0;
        int n = await _input.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
        return AccountData(n);
    }

    /// <summary>
    /// A read-only stream over the current entry's remaining data. It is valid until the next call
    /// to <see cref="Next"/>; disposing it does not affect the reader.
    /// </summary>
    public Stream OpenData() => new TarEntryStream(this);

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_leaveOpen) _input.Dispose();
    }

    private int AccountData(int n)
    {
        if (n <= 0) throw Truncated("entry data");
        _dataRemaining -= n;
        Position += n;
        return n;
    }

    private async ValueTask<TarEntryHeader?> NextCoreAsync(bool useAsync, CancellationToken ct)
    {
        if (_finished) return null;
        Current = null;
        long toSkip = _dataRemaining;
        if (toSkip > 0 && !await SkipAsync(toSkip, true, useAsync, ct).ConfigureAwait(false)) throw Truncated("entry data");
        _dataRemaining = 0;
        // Python tolerates a stream that ends inside the last entry's padding.
        if (_paddingRemaining > 0 && !await SkipAsync(_paddingRemaining, false, useAsync, ct).ConfigureAwait(false))
            return Finish();
        _paddingRemaining = 0;

        Dictionary<string, byte[]>? pax = null;
        byte[]? longName = null, longLink = null;
        bool pending = false;
        long metadataLength = 0;
        long entryStart = Position;
        while (true)
        {
            long offset = Position;
            int got = await ReadBlockAsync(_block, useAsync, ct).ConfigureAwait(false);
            if (got == 0)
            {
                if (pending) throw Truncated("header after an extended header");
                return Finish();
            }
            if (got < BlockSize) throw Truncated("header");
            if (TarHeaderParser.IsZeroBlock(_block))
            {
                if (pending) throw new ArchiveCorruptException($"End-of-archive block right after an extended header at offset {offset}.");
                EntriesEnd = offset;
                _finished = true;
                return null;
            }
            TarEntryHeader h = TarHeaderParser.ParseBlock(_block, offset);
            if (h.Size < 0) throw new ArchiveCorruptException($"Negative tar size at offset {offset}.");
            switch (h.TypeFlag)
            {
                case TarTypeFlag.PaxExtended or TarTypeFlag.SolarisExtended or TarTypeFlag.PaxGlobal:
                {
                    metadataLength = CountMetadata(metadataLength, h.Size, offset);
                    byte[] body = await ReadMetadataAsync(h, useAsync, ct).ConfigureAwait(false);
                    if (h.TypeFlag == TarTypeFlag.PaxGlobal)
                    {
                        TarHeaderParser.ParsePaxRecords(body, _globalPax, offset);
                        long global = 0;
                        foreach (var (key, value) in _globalPax) global += key.Length + value.Length;
                        if (global > MaxMetadataLength) throw new ArchiveCorruptException($"Global pax records exceed {MaxMetadataLength} bytes at offset {offset}.");
                    }
                    else
                    {
                        pax ??= new Dictionary<string, byte[]>(StringComparer.Ordinal);
                        TarHeaderParser.ParsePaxRecords(body, pax, offset);
                        pending = true;
                    }
                    continue;
                }
                case TarTypeFlag.GnuLongName or TarTypeFlag.GnuLongLink:
                {
                    metadataLength = CountMetadata(metadataLength, h.Size, offset);
                    byte[] body = await ReadMetadataAsync(h, useAsync, ct).ConfigureAwait(false);
                    byte[] value = TarHeaderParser.NulTerminated(body.AsSpan(0, (int)h.Size)).ToArray();
                    if (h.TypeFlag == TarTypeFlag.GnuLongName) longName = value;
                    else longLink = value;
                    pending = true;
                    continue;
                }
            }
            h.HeaderOffset = entryStart;
            if (_globalPax.Count > 0) ApplyPax(h, _globalPax, offset);
            if (pax is not null) ApplyPax(h, pax, offset);
            if (longName is not null) h.Name = longName;
            if (longLink is not null) h.LinkName = longLink;
            if (h.Name.Length > MaxNameLength || h.LinkName.Length > MaxNameLength)
                throw new ArchiveCorruptException($"Tar entry name or link target longer than {MaxNameLength} bytes at offset {offset}.");
            long dataLength = TarTypeFlag.HasData(h.TypeFlag) ? h.Size : 0;
            _dataRemaining = dataLength;
            _paddingRemaining = TarHeaderWriter.GetPaddingLength(dataLength);
            Current = h;
            return h;
        }
    }

    /// <summary>Adds an extended header's body to the entry's total; over the cap is corruption (a pax flood).</summary>
    private static long CountMetadata(long total, long size, long offset)
    {
        if (size > MaxMetadataLength || total + size > MaxMetadataLength)
            throw new ArchiveCorruptException($"Extended headers of one entry exceed {MaxMetadataLength} bytes at offset {offset}.");
        return total + size;
    }

    private TarEntryHeader? Finish()
    {
        EntriesEnd = Position;
        _finished = true;
        return null;
    }

    private static void ApplyPax(TarEntryHeader h, Dictionary<string, byte[]> records, long offset)
    {
        foreach (var (key, value) in records)
        {
            switch (key)
            {
                case "path": h.Name = value; break;
                case "linkpath": h.LinkName = value; break;
                case "uname": h.UserName = TarHeaderParser.Text(value); break;
                case "gname": h.GroupName = TarHeaderParser.Text(value); break;
                case "uid": h.Uid = PaxInteger(value); break;
                case "gid": h.Gid = PaxInteger(value); break;
                case "size":
                    h.Size = PaxInteger(value);
                    if (h.Size < 0) throw new ArchiveCorruptException($"Negative pax size at offset {offset}.");
                    break;
                case "mtime": h.MTime = PaxTime(value); break;
            }
        }
    }

    /// <summary>Python's <c>int()</c>; a malformed value counts as 0 as in tarfile.</summary>
    private static long PaxInteger(byte[] value) =>
        Naming.PythonInt.TryParse(System.Text.Encoding.UTF8.GetString(value), out long n) ? n : 0;

    /// <summary>Python's <c>float()</c> then duplicity's <c>int()</c> (truncation toward zero).</summary>
    private static long PaxTime(byte[] value)
    {
        string s = System.Text.Encoding.UTF8.GetString(value).Trim();
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || double.IsNaN(d) || double.IsInfinity(d)) return 0;
        return d >= long.MaxValue ? long.MaxValue : d <= long.MinValue ? long.MinValue : (long)Math.Truncate(d);
    }

    private async ValueTask<byte[]> ReadMetadataAsync(TarEntryHeader h, bool useAsync, CancellationToken ct)
    {
        if (h.Size > MaxMetadataLength) throw new ArchiveCorruptException($"Oversized extended header at offset {h.HeaderOffset}.");
        int padded = (int)h.Size + TarHeaderWriter.GetPaddingLength(h.Size);
        var body = new byte[padded];
        int got = await ReadBlockAsync(body, useAsync, ct).ConfigureAwait(false);
        if (got < padded) throw Truncated("extended header");
        return body;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the count.</summary>
    private async ValueTask<int> ReadBlockAsync(byte[] buffer, bool useAsync, CancellationToken ct)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = useAsync
                ? await _input.ReadAsync(buffer.AsMemory(total), ct).ConfigureAwait(false)
#pragma warning disable CA1849 // One core serves Next() and NextAsync() (as System.Formats.Tar does): the sync path reads synchronously by design.
                : _input.Read(buffer, total, buffer.Length - total);
#pragma warning restore CA1849
            if (n <= 0) break;
            total += n;
        }
        Position += total;
        return total;
    }

    /// <summary>Skips <paramref name="count"/> bytes; false when the stream ended first.</summary>
    private async ValueTask<bool> SkipAsync(long count, bool isData, bool useAsync, CancellationToken ct)
    {
        _skipBuffer ??= new byte[16384];
        while (count > 0)
        {
            int want = (int)Math.Min(count, _skipBuffer.Length);
            int n = useAsync
                ? await _input.ReadAsync(_skipBuffer.AsMemory(0, want), ct).ConfigureAwait(false)
#pragma warning disable CA1849 // One core serves Next() and NextAsync() (as System.Formats.Tar does): the sync path reads synchronously by design.
                : _input.Read(_skipBuffer, 0, want);
#pragma warning restore CA1849
            if (n <= 0) return false;
            count -= n;
            Position += n;
            if (isData) _dataRemaining -= n;
        }
        return true;
    }

    private ArchiveCorruptException Truncated(string what) => new($"Tar stream truncated in {what} at offset {Position}.");

    /// <summary>The current entry's data as a stream.</summary>
    private sealed class TarEntryStream(TarReader reader) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => reader.ReadData(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer) => reader.ReadData(buffer);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => reader.ReadDataAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            reader.ReadDataAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
