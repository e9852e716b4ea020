using System.Collections.Concurrent;
using System.IO.Compression;

namespace Duplicity.IO;

/// <summary>
/// A raw deflate writer that compresses independent 1 MiB blocks on several cores (as pigz does):
/// each block ends with a sync flush, so the pieces concatenate into one valid deflate stream that
/// any inflater reads. Used under gzip framing and inside OpenPGP compressed data packets.
/// </summary>
/// <remarks>
/// Blocks that look random (<see cref="IncompressibleProbe"/>) are compressed searching runs only.
/// Blocks start without the previous block's window, which costs a few bytes per megabyte of
/// compressible input; in exchange compression, the slowest step of a backup, scales with cores.
/// Compressed blocks are written to the output in order, on the writing thread. The output is left open.
/// </remarks>
internal sealed class ParallelDeflateStream : Stream, IPendingInput
{
    private const int BlockSize = 1 << 20;

    // Room for a whole block's deflate output: deflate grows incompressible data by well under 1 %.
    private const int OutputSize = BlockSize + (BlockSize >> 3) + 1024;

    private static readonly int PoolCapacity = 2 * Math.Max(2, Environment.ProcessorCount) + 2;
    private static readonly BlockPool Inputs = new(BlockSize, PoolCapacity);
    private static readonly BlockPool Outputs = new(OutputSize, PoolCapacity);

    private readonly Stream _output;
    private readonly int _level;
    private readonly int _maxInFlight;
    private readonly Queue<Task<CompressedBlock>> _inFlight = new();
    private byte[] _block;
    private int _blockLength;
    private long _pendingInput;
    private bool _finished;
    private long _inputWritten;
    private long _outputWritten;
    private readonly List<DeflateBlockStart> _blockStarts = [];

    public ParallelDeflateStream(Stream output, int level = 6, int? maxInFlight = null)
    {
        _output = output;
        _level = level;
        _maxInFlight = maxInFlight ?? Math.Max(2, Environment.ProcessorCount);
        _block = Inputs.Rent();
    }

    /// <summary>
    /// Where each block begins, in input bytes and in output bytes (counted from this stream's first byte),
    /// in order: every one is a point where a raw inflater can start reading, since no block refers to
    /// an earlier one. One entry per block (a megabyte of input or less), so the list stays small.
    /// </summary>
    public IReadOnlyList<DeflateBlockStart> BlockStarts => _blockStarts;

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
        _block = final ? [] : Inputs.Rent();
        _blockLength = 0;
    }

    private void DrainOne()
    {
        var block = _inFlight.Dequeue().GetAwaiter().GetResult();
        try
        {
            RecordStart(block);
            _output.Write(block.Buffer, 0, block.Length);
            Interlocked.Add(ref _pendingInput, -block.InputLength);
        }
        finally
        {
            Outputs.Return(block.Buffer);
        }
    }

    private async ValueTask DrainOneAsync()
    {
        var block = await _inFlight.Dequeue().ConfigureAwait(false);
        try
        {
            RecordStart(block);
            await _output.WriteAsync(block.Buffer.AsMemory(0, block.Length)).ConfigureAwait(false);
            Interlocked.Add(ref _pendingInput, -block.InputLength);
        }
        finally
        {
            Outputs.Return(block.Buffer);
        }
    }

    private void RecordStart(CompressedBlock block)
    {
        if (block.InputLength > 0) _blockStarts.Add(new DeflateBlockStart(_inputWritten, _outputWritten));
        _inputWritten += block.InputLength;
        _outputWritten += block.Length;
    }

    private static CompressedBlock Compress(byte[] input, int length, bool final, int level)
    {
        try
        {
            // Random-looking data gains nothing from zlib's match search, which costs as much as on text: searching
            // runs only (tar headers, zero padding) gives the same output at several times the speed.
            var strategy = level > 0 && IncompressibleProbe.LooksIncompressible(input.AsSpan(0, length))
                ? ZLibCompressionStrategy.RunLengthEncoding
                : ZLibCompressionStrategy.Default;
            var output = new PooledOutput();
            using (var deflate = new DeflateStream(output, new ZLibCompressionOptions { CompressionLevel = level, CompressionStrategy = strategy }, leaveOpen: true))
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
            Inputs.Return(input);
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

    /// <summary>
    /// Buffers of one size shared by every deflate stream in the process, whichever thread takes or returns
    /// them. <c>ArrayPool.Shared</c> parks a returned array in the returning thread's own slot first; input
    /// blocks are taken on the writing thread and returned on pool threads, outputs the other way round, so
    /// there they end up one per thread that ever compressed, and a long backup kept allocating new ones
    /// (a 6 GiB incremental grew by 17 MB while compressing its 38 MB signature archive). Here at most
    /// <c>capacity</c> buffers are kept, enough for the blocks in flight; the rest go to the GC.
    /// </summary>
    private sealed class BlockPool(int size, int capacity)
    {
        private readonly ConcurrentQueue<byte[]> _free = new();
        private int _count;

        public byte[] Rent()
        {
            if (_free.TryDequeue(out var buffer))
            {
                Interlocked.Decrement(ref _count);
                return buffer;
            }
            return new byte[size];
        }

        public void Return(byte[] buffer)
        {
            if (buffer.Length != size) return;
            if (Interlocked.Increment(ref _count) > capacity)
            {
                Interlocked.Decrement(ref _count);
                return;
            }
            _free.Enqueue(buffer);
        }
    }

    /// <summary>A growable buffer from the output pool; after <see cref="Freeze"/> later writes (the final empty block) are dropped.</summary>
    private sealed class PooledOutput : Stream
    {
        public byte[] Buffer { get; private set; } = Outputs.Rent();
        private int _length;
        public int? FrozenLength { get; private set; }

        public void Freeze() => FrozenLength = _length;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (FrozenLength != null) return;
            if (_length + buffer.Length > Buffer.Length)
            {
                // Never for deflate output of one block; the larger buffer is not pooled.
                var bigger = new byte[Math.Max(Buffer.Length * 2, _length + buffer.Length)];
                Buffer.AsSpan(0, _length).CopyTo(bigger);
                Outputs.Return(Buffer);
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

/// <summary>The start of an independent deflate block: its offset in the uncompressed input and in the compressed output.</summary>
internal readonly record struct DeflateBlockStart(long Input, long Output);
