using System.IO.Compression;

namespace Duplicity.Archive.Volumes;

/// <summary>
/// How a volume's bytes are stored: wraps the file stream in the compression (and, later,
/// encryption) layer.
/// </summary>
internal abstract class VolumeEncoding
{
    /// <summary>Opens the encoding layer over <paramref name="output"/>; disposing it finishes the layer.</summary>
    public abstract Stream Wrap(Stream output);

    /// <summary>Opens the decoding layer over stored bytes (disposing the result disposes <paramref name="input"/>).</summary>
    public abstract ValueTask<Stream> UnwrapAsync(Stream input, CancellationToken cancellationToken = default);

    /// <summary>True when volumes in this encoding can be entered at a <see cref="VolumeSeekPoint"/>.</summary>
    public virtual bool SupportsSeekPoints => false;

    /// <summary>
    /// Opens the tar stream of the stored volume <paramref name="input"/> (seekable, at its start) at
    /// <paramref name="seek"/>, before the point's <see cref="VolumeSeekPoint.Skip"/>; null when it cannot
    /// be entered there. Disposing the result leaves <paramref name="input"/> open.
    /// </summary>
    public virtual ValueTask<Stream?> TryOpenAtAsync(Stream input, VolumeSeekPoint seek, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<Stream?>(null);

    /// <summary>Reads a gzip file (a volume, or a signature file of the local cache), checking its trailer at the end.</summary>
    public static Stream OpenGzipRead(Stream input) => new CheckedGzipReadStream(input);

    /// <summary>Plain tar, as with duplicity's <c>--no-encryption --no-compression</c>.</summary>
    public static VolumeEncoding Plain { get; } = new PlainEncoding();

    /// <summary>Gzip at level 6, as duplicity writes it (compressed on several cores).</summary>
    public static VolumeEncoding Gzip { get; } = new GzipEncoding();

    private sealed class PlainEncoding : VolumeEncoding
    {
        public override Stream Wrap(Stream output) => new NonClosingStream(output);
        public override ValueTask<Stream> UnwrapAsync(Stream input, CancellationToken cancellationToken = default) => ValueTask.FromResult(input);
    }

    private sealed class GzipEncoding : VolumeEncoding
    {
        public override Stream Wrap(Stream output) => new ParallelGzipStream(output, level: 6);

        public override ValueTask<Stream> UnwrapAsync(Stream input, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(OpenGzipRead(input));

        public override bool SupportsSeekPoints => true;

        // Our gzip members hold one deflate stream whose blocks are independent: a raw inflate can begin at any block start.
        public override ValueTask<Stream?> TryOpenAtAsync(Stream input, VolumeSeekPoint seek, CancellationToken cancellationToken = default)
        {
            if (seek.StoredOffset >= input.Length) return ValueTask.FromResult<Stream?>(null);
            input.Position = seek.StoredOffset;
            return ValueTask.FromResult<Stream?>(new DeflateStream(input, CompressionMode.Decompress, leaveOpen: true));
        }
    }

    /// <summary>Lets "finish the layer" (dispose) leave the file stream open for the caller.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
