namespace Duplicity.Tests.Fuzzing;

/// <summary>
/// A read-only stream over a fuzz input that checks the budget on every read and, when asked, hands
/// out data in short pieces (sizes drawn from the input's length) so parsers meet split reads.
/// </summary>
internal sealed class MeteredStream(byte[] data, FuzzBudget budget, bool shortReads = false, bool seekable = false) : Stream
{
    private int _position;
    private int _reads;

    public override int Read(Span<byte> buffer)
    {
        budget.Check();
        int n = Math.Min(buffer.Length, data.Length - _position);
        if (shortReads && n > 1) n = Math.Min(n, 1 + (data.Length + 7 * _reads++) % 97);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override bool CanRead => true;
    public override bool CanSeek => seekable;
    public override bool CanWrite => false;
    public override long Length => seekable ? data.Length : throw new NotSupportedException();

    public override long Position
    {
        get => seekable ? _position : throw new NotSupportedException();
        set => _position = seekable ? (int)Math.Clamp(value, 0, data.Length) : throw new NotSupportedException();
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
