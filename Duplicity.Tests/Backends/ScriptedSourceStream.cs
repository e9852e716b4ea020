namespace Duplicity.Tests.Backends;

/// <summary>
/// A non-seekable source stream for uploads that produces <c>Length</c> bytes of deterministic data and
/// can, once a given number of bytes was handed out, run a callback, wait on a gate or throw.
/// It ignores the cancellation token on purpose, so a backend must observe cancellation itself.
/// </summary>
internal sealed class ScriptedSourceStream : Stream
{
    private readonly byte[] _data;
    private long _position;
    private bool _triggered;

    public ScriptedSourceStream(byte[] data)
    {
        _data = data;
    }

    /// <summary>After this many bytes were returned, the next read runs the script.</summary>
    public long TriggerAfter { get; init; } = long.MaxValue;

    /// <summary>Thrown by the first read after <see cref="TriggerAfter"/> bytes.</summary>
    public Exception? Failure { get; init; }

    /// <summary>Run once at the trigger point, before the read continues.</summary>
    public Action? OnTrigger { get; init; }

    /// <summary>Awaited at the trigger point before the read continues.</summary>
    public Task? Gate { get; init; }

    /// <summary>Completed when the trigger point is reached.</summary>
    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Largest chunk handed out per read, so a large upload takes many reads.</summary>
    public int ChunkSize { get; init; } = 64 * 1024;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_triggered && _position >= TriggerAfter)
        {
            _triggered = true;
            Reached.TrySetResult();
            OnTrigger?.Invoke();
            if (Gate is not null)
                await Gate.ConfigureAwait(false);
            if (Failure is not null)
                throw Failure;
        }
        return CopyOut(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    private int CopyOut(Span<byte> destination)
    {
        var limit = TriggerAfter > _position && !_triggered ? TriggerAfter - _position : long.MaxValue;
        var count = (int)Math.Min(Math.Min(destination.Length, ChunkSize), Math.Min(_data.Length - _position, limit));
        _data.AsSpan((int)_position, count).CopyTo(destination);
        _position += count;
        return count;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
