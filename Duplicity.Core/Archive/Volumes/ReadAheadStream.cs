using System.Buffers;
using System.Collections.Concurrent;
using Duplicity.IO;

namespace Duplicity.Archive.Volumes;

/// <summary>
/// Reads a stream ahead on another thread (decompression, decryption) so that the consumer (tar
/// parsing, writing files) runs at the same time on another core. Memory is bounded by a few buffers.
/// </summary>
internal sealed class ReadAheadStream : ReadOnlyStream
{
    private const int ChunkSize = 1 << 20;
    private readonly Stream _inner;
    private readonly BlockingCollection<Chunk> _chunks = new(boundedCapacity: 4);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private Chunk _current;
    private int _offset;
    private bool _ended;

    public ReadAheadStream(Stream inner)
    {
        _inner = inner;
        _producer = Task.Factory.StartNew(Produce, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void Produce()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                int n = _inner.ReadAtLeast(buffer.AsSpan(0, ChunkSize), ChunkSize, throwOnEndOfStream: false);
                if (n == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }
                _chunks.Add(new Chunk(buffer, n, null), _stop.Token);
                if (n < ChunkSize) break;
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The consumer sees the error where it would have seen the data.
            try { _chunks.Add(new Chunk(null, 0, e), _stop.Token); } catch (OperationCanceledException) { }
        }
        finally
        {
            _chunks.CompleteAdding();
        }
    }

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (_current.Buffer != null && _offset < _current.Length)
            {
                int n = Math.Min(buffer.Length, _current.Length - _offset);
                _current.Buffer.AsSpan(_offset, n).CopyTo(buffer);
                _offset += n;
                return n;
            }
            if (_current.Buffer != null) { ArrayPool<byte>.Shared.Return(_current.Buffer); _current = default; }
            if (_ended || !_chunks.TryTake(out _current, Timeout.Infinite))
            {
                _ended = true;
                return 0;
            }
            _offset = 0;
            if (_current.Error != null)
            {
                var error = _current.Error;
                _current = default;
                _ended = true;
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Cancel();
            try { _producer.Wait(); } catch (AggregateException) { }
            while (_chunks.TryTake(out var chunk)) if (chunk.Buffer != null) ArrayPool<byte>.Shared.Return(chunk.Buffer);
            if (_current.Buffer != null) ArrayPool<byte>.Shared.Return(_current.Buffer);
            _current = default;
            _inner.Dispose();
            _chunks.Dispose();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }


    private readonly record struct Chunk(byte[]? Buffer, int Length, Exception? Error);
}
