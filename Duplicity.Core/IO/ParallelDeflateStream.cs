using System.Buffers;
using System.IO.Compression;

namespace Duplicity.IO;

/// <summary>
/// A raw deflate writer that compresses independent 1 MiB blocks on several cores (as pigz does):
/// each block ends with a sync flush, so the pieces concatenate into one valid deflate stream that
/// any inflater reads. Used under gzip framing and inside OpenPGP compressed data packets.
/// </summary>
/// <remarks>
/// Blocks start without the previous block's window, which costs a few bytes per megabyte of
/// compressible input; in exchange compression, the slowest step of a backup, scales with cores.
/// Compressed blocks are written to the output in order, on the writing thread. The output is left open.
/// </remarks>
internal sealed class ParallelDeflateStream : Stream, IPendingInput
{
    private const int BlockSize = 1 << 20;

    private readonly Stream _output;
    private readonly int _level;
    private readonly int _maxInFlight;
    private readonly Queue<Task<CompressedBlock>> _inFlight = new();
    private byte[] _block;
    private int _blockLength;
    private long _pendingInput;
    private bool _finished;

    public ParallelDeflateStream(Stream output, int level = 6, int? maxInFlight = null)
    {
        _output = output;
        _level = level;
        _maxInFlight = maxInFlight ?? Math.Max(2, Environment.ProcessorCount);
        _block = ArrayPool<byte>.Shared.Rent(BlockSize);
    }

    /// <inheritdoc/>
    public long PendingInputBytes => Volatile.Read(ref _pendingInput) + Volatile.Read(ref _blockLength);

    /// <inheritdoc/>
    public async ValueTask SyncAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_blockLength > 0)
        {
            while (_inFlight.Count >= _maxInFlight) await DrainOneAsync().ConfigureAwait(false);
            // A shorter block ending with a sync flush: valid anywhere in the stream.
            SubmitBlock(final: false);
        }
        while (_inFlight.Count > 0) await DrainOneAsync().ConfigureAwait(false);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, BlockSize - _blockLength);
            buffer[..n].CopyTo(_block.AsSpan(_blockLength));
            _blockLength += n;
            buffer = buffer[n..];
            if (_blockLength == BlockSize)
            {
                while (_inFlight.Count >= _maxInFlight) DrainOne();
                SubmitBlock(final: false);
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, BlockSize - _blockLength);
            buffer.Span[..n].CopyTo(_block.AsSpan(_blockLength));
            _blockLength += n;
            buffer = buffer[n..];
            if (_blockLength == BlockSize)
            {
                while (_inFlight.Count >= _maxInFlight) await DrainOneAsync().ConfigureAwait(false);
                SubmitBlock(final: false);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void SubmitBlock(bool final)
    {
        var data = _block;
        int length = _blockLength;
        Interlocked.Add(ref _pendingInput, length);
        _inFlight.Enqueue(Task.Run(() => Compress(data, length, final, _level)));
        _block = final ? [] : ArrayPool<byte>.Shared.Rent(BlockSize);
        _blockLength = 0;
    }

    private void DrainOne()
    {
        var block = _inFlight.Dequeue().GetAwaiter().GetResult();
        try
        {
            _output.Write(block.Buffer, 0, block.Length);
            Interlocked.Add(ref _pendingInput, -block.InputLength);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block.Buffer);
        }
    }

    private async ValueTask DrainOneAsync()
    {
        var block = await _inFlight.Dequeue().ConfigureAwait(false);
        try
        {
            await _output.WriteAsync(block.Buffer.AsMemory(0, block.Length)).ConfigureAwait(false);
            Interlocked.Add(ref _pendingInput, -block.InputLength);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block.Buffer);
        }
    }

    private static CompressedBlock Compress(byte[] input, int length, bool final, int level)
    {
        try
        {
            var output = new PooledOutput(length + (length >> 3) + 1024);
            using (var deflate = new DeflateStream(output, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
            {
                deflate.Write(input, 0, length);
                if (!final)
                {
                    // A sync flush ends the block on a byte boundary without marking it final.
                    deflate.Flush();
                    output.Freeze();
                }
            }
            // With no input the compressor may write nothing; the stream still needs a final block.
            if (final && output.Length == 0) output.Write([0x03, 0x00]);
            return new CompressedBlock(output.Buffer, output.FrozenLength ?? (int)output.Length, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    private void Finish()
    {
        if (_finished) return;
        _finished = true;
        while (_inFlight.Count >= _maxInFlight) DrainOne();
        SubmitBlock(final: true);
        while (_inFlight.Count > 0) DrainOne();
    }

    private async ValueTask FinishAsync()
    {
        if (_finished) return;
        _finished = true;
        while (_inFlight.Count >= _maxInFlight) await DrainOneAsync().ConfigureAwait(false);
        SubmitBlock(final: true);
        while (_inFlight.Count > 0) await DrainOneAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Finish();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await FinishAsync().ConfigureAwait(false);
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

    private readonly record struct CompressedBlock(byte[] Buffer, int Length, int InputLength);

    /// <summary>A growable pooled buffer; after <see cref="Freeze"/> later writes (the final empty block) are dropped.</summary>
    private sealed class PooledOutput(int initial) : Stream
    {
        public byte[] Buffer { get; private set; } = ArrayPool<byte>.Shared.Rent(initial);
        private int _length;
        public int? FrozenLength { get; private set; }

        public void Freeze() => FrozenLength = _length;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (FrozenLength != null) return;
            if (_length + buffer.Length > Buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Buffer.Length * 2, _length + buffer.Length));
                Buffer.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(Buffer);
                Buffer = bigger;
            }
            buffer.CopyTo(Buffer.AsSpan(_length));
            _length += buffer.Length;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
