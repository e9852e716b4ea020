using Duplicity.Backends;

namespace Duplicity.Tests.Backends.Retry;

/// <summary>
/// Wraps a backend so that downloads break: the n-th opened download (in order) throws an
/// <see cref="IOException"/> once it has handed out the n-th number of <see cref="BreakAfter"/> bytes.
/// Records the offset of every download opened.
/// </summary>
internal sealed class BreakingDownloadBackend(IBackend inner, params long[] breakAfter) : DelegatingBackend(inner)
{
    private int _opened;

    public long[] BreakAfter { get; } = breakAfter;

    /// <summary>The offset each download started at, in order.</summary>
    public List<long> Offsets { get; } = [];

    public override async Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default) =>
        Wrap(await Inner.GetAsync(name, cancellationToken), 0);

    public override async Task<Stream> GetFromAsync(string name, long offset, CancellationToken cancellationToken = default) =>
        Wrap(await Inner.GetFromAsync(name, offset, cancellationToken), offset);

    private Stream Wrap(Stream stream, long offset)
    {
        Offsets.Add(offset);
        var index = _opened++;
        return index < BreakAfter.Length ? new BreakingStream(stream, BreakAfter[index]) : stream;
    }

    private sealed class BreakingStream(Stream inner, long limit) : Stream
    {
        private long _given;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_given >= limit)
                throw new IOException("connection reset by peer");
            var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, limit - _given)], cancellationToken);
            _given += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.CanSeek ? inner.Length - inner.Position + _given : throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
