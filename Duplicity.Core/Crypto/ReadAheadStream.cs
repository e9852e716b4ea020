using System.Buffers;
using System.Threading.Channels;

namespace Duplicity.Crypto;

/// <summary>
/// Reads an inner stream on a background task into a few pooled chunks, so that decryption and
/// inflation of a volume run on one core while the caller parses and writes files on the other.
/// Errors of the inner stream (MDC, signature) surface on the caller's next read.
/// </summary>
internal sealed class ReadAheadStream : Stream
{
    private const int ChunkSize = 256 * 1024;
    private readonly Stream _inner;
    private readonly Channel<(byte[] Buffer, int Length)> _chunks = Channel.CreateBounded<(byte[], int)>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private byte[]? _current;
    private int _at;
    private int _length;
    private bool _ended;
    private bool _disposed;

    public ReadAheadStream(Stream inner)
    {
        _inner = inner;
        _producer = Task.Run(ProduceAsync);
    }

    private async Task ProduceAsync()
    {
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                var filled = 0;
                int n;
                while (filled < ChunkSize && (n = _inner.Read(buffer, filled, ChunkSize - filled)) > 0) filled += n;
                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }
                await _chunks.Writer.WriteAsync((buffer, filled), _stop.Token).ConfigureAwait(false);
            }
            _chunks.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _chunks.Writer.TryComplete(e is OperationCanceledException && _stop.IsCancellationRequested ? null : e);
        }
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty) return 0;
        if (_at == _length && !NextChunkAsync().AsTask().GetAwaiter().GetResult()) return 0;
        return Take(buffer);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty) return 0;
        if (_at == _length && !await NextChunkAsync(cancellationToken).ConfigureAwait(false)) return 0;
        return Take(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Take(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _length - _at);
        _current.AsSpan(_at, n).CopyTo(buffer);
        _at += n;
        return n;
    }

    private async ValueTask<bool> NextChunkAsync(CancellationToken cancellationToken = default)
    {
        if (_ended) return false;
        if (_current != null) ArrayPool<byte>.Shared.Return(_current);
        _current = null;
        _at = _length = 0;
        try
        {
            if (!await _chunks.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) || !_chunks.Reader.TryRead(out var chunk))
            {
                _ended = true;
                return false;
            }
            (_current, _length) = chunk;
            return true;
        }
        catch (ChannelClosedException e) when (e.InnerException != null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _stop.Cancel();
            try { _producer.GetAwaiter().GetResult(); } catch (Exception) { /* its error was for the reader */ }
            while (_chunks.Reader.TryRead(out var left)) ArrayPool<byte>.Shared.Return(left.Buffer);
            if (_current != null) ArrayPool<byte>.Shared.Return(_current);
            _inner.Dispose();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
