using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using Duplicity.IO;

namespace Duplicity.Archive.Volumes;

/// <summary>
/// Inflates a gzip file (one member, as duplicity and this library write it) and checks its trailer
/// at the end. .NET's reader rejects a wrong CRC but accepts a file cut anywhere, even inside the
/// deflate data, as a shorter one; here the last 8 stored bytes must be the CRC-32 and length of
/// what was inflated. Every decoding failure is an <see cref="ArchiveCorruptException"/>.
/// </summary>
internal sealed class CheckedGzipReadStream : ReadOnlyStream
{
    private const int TrailerLength = 8;
    private readonly TailStream _stored;
    private readonly GZipStream _gzip;
    private readonly Crc32 _crc = new();
    private long _length;
    private bool _ended;

    public CheckedGzipReadStream(Stream stored)
    {
        _stored = new TailStream(stored);
        _gzip = new GZipStream(_stored, CompressionMode.Decompress, leaveOpen: false);
    }

    public override int Read(Span<byte> buffer)
    {
        if (_ended || buffer.IsEmpty) return 0;
        int n;
        try
        {
            n = _gzip.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new ArchiveCorruptException("Gzip data is corrupt: " + e.Message, e);
        }
        if (n > 0)
        {
            _crc.Append(buffer[..n]);
            _length += n;
            return n;
        }
        _ended = true;
        CheckTrailer();
        return 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    private void CheckTrailer()
    {
        Span<byte> trailer = stackalloc byte[TrailerLength];
        if (!_stored.TryGetTail(trailer)
            || BinaryPrimitives.ReadUInt32LittleEndian(trailer) != _crc.GetCurrentHashAsUInt32()
            || BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) != (uint)_length)
            throw new ArchiveCorruptException($"Gzip data is truncated or corrupt: its trailer does not match the {_length} bytes inflated.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _gzip.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Passes reads through, remembering the last bytes that went by.</summary>
    private sealed class TailStream(Stream inner) : ReadOnlyStream
    {
        private readonly byte[] _tail = new byte[TrailerLength];
        private long _total;

        public bool TryGetTail(Span<byte> into)
        {
            if (_total < 10 + TrailerLength) return false; // shorter than a gzip header plus trailer
            // _tail is a ring: the oldest byte sits at _total % 8.
            for (int i = 0; i < TrailerLength; i++) into[i] = _tail[(int)((_total + i) % TrailerLength)];
            return true;
        }

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            for (int i = Math.Max(0, n - TrailerLength); i < n; i++) _tail[(int)((_total + i) % TrailerLength)] = buffer[i];
            _total += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
