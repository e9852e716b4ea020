namespace Duplicity.Samples.TestHooks;

/// <summary>TEST ONLY. Passes reads through and kills the process once <c>limit</c> bytes were read.</summary>
internal sealed class CrashAfterBytesStream(Stream inner, long limit, bool ownsInner) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, Allowed(count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsInner)
            inner.Dispose();
        base.Dispose(disposing);
    }

    // Never past the limit in one read, so the kill falls exactly on the byte count.
    private int Allowed(int count) => (int)Math.Max(1, Math.Min(count, limit - _read));

    private int Count(int read)
    {
        _read += read;
        if (_read >= limit)
            CrashPoint.KillThisProcess();
        return read;
    }
}
