namespace Duplicity.Backends.Azure;

/// <summary>
/// One byte read ahead (to learn that a source is longer than a single put), then the rest of the source:
/// gives the byte back to the block upload that reads on.
/// </summary>
internal sealed class PrefixedStream(byte first, Stream rest) : Stream
{
    private bool _firstRead;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        if (!_firstRead)
        {
            _firstRead = true;
            buffer[0] = first;
            return 1;
        }
        return rest.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _firstRead)
            return rest.ReadAsync(buffer, cancellationToken);
        _firstRead = true;
        buffer.Span[0] = first;
        return ValueTask.FromResult(1);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
