using Duplicity.IO;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Duplicity.Archive.Volumes;

/// <summary>
/// A gzip writer whose deflate body is compressed on several cores (<see cref="ParallelDeflateStream"/>),
/// framed as one standard gzip member that any gzip reader (duplicity's included) accepts.
/// </summary>
internal sealed class ParallelGzipStream : Stream, IPendingInput
{
    private static readonly byte[] Header = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff];

    /// <summary>Bytes before the first deflate block.</summary>
    public static int HeaderLength => Header.Length;

    private readonly Stream _output;
    private readonly ParallelDeflateStream _deflate;
    private readonly Crc32 _crc = new();
    private long _inputLength;
    private bool _finished;

    public ParallelGzipStream(Stream output, int level = 6, int? maxInFlight = null)
    {
        _output = output;
        _output.Write(Header);
        _deflate = new ParallelDeflateStream(output, level, maxInFlight);
    }

    /// <inheritdoc/>
    public long PendingInputBytes => _deflate.PendingInputBytes;

    /// <summary>
    /// The points where a raw inflater can begin: uncompressed offsets and the matching offsets in the gzip
    /// file (its header counted). Complete once the stream is disposed.
    /// </summary>
    public IEnumerable<DeflateBlockStart> BlockStarts => _deflate.BlockStarts.Select(b => b with { Output = b.Output + Header.Length });

    /// <inheritdoc/>
    public ValueTask SyncAsync(CancellationToken cancellationToken) => _deflate.SyncAsync(cancellationToken);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _crc.Append(buffer);
        _inputLength += buffer.Length;
        _deflate.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _crc.Append(buffer.Span);
        _inputLength += buffer.Length;
        return _deflate.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void WriteTrailer()
    {
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)_inputLength);
        _output.Write(trailer);
        _output.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            _finished = true;
            _deflate.Dispose();
            WriteTrailer();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            _finished = true;
            await _deflate.DisposeAsync().ConfigureAwait(false);
            WriteTrailer();
        }
        await base.DisposeAsync().ConfigureAwait(false);
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
