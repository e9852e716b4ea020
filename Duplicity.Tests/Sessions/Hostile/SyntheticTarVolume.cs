using Duplicity.Archive.Tar;
using static Duplicity.Tests.Sessions.Hostile.CraftedArchive;

namespace Duplicity.Tests.Sessions.Hostile;

/// <summary>
/// A plain tar volume produced on the fly, never held: the root directory, one regular file of
/// <see cref="FileLength"/> bytes (zeros between an 8-byte marker at each end), the end blocks.
/// Seekable, so a test can read the file's bytes again to hash them.
/// </summary>
internal sealed class SyntheticTarVolume : Stream
{
    private static readonly byte[] Begin = "BEGINMRK"u8.ToArray();
    private static readonly byte[] End = "ENDMARK!"u8.ToArray();
    private readonly byte[] _prefix;
    private readonly long _length;

    public SyntheticTarVolume(string fileName, long fileLength)
    {
        FileLength = fileLength;
        var prefix = new MemoryStream();
        TarHeaderWriter.Write(Dir("snapshot/./"), prefix);
        TarHeaderWriter.Write(File("snapshot/" + fileName, fileLength), prefix);
        _prefix = prefix.ToArray();
        _length = _prefix.Length + fileLength + TarHeaderWriter.GetPaddingLength(fileLength) + 1024;
    }

    public long FileLength { get; }

    /// <summary>Where the file's bytes start.</summary>
    public long DataStart => _prefix.Length;

    public override int Read(Span<byte> buffer)
    {
        int n = (int)Math.Min(buffer.Length, _length - Position);
        if (n <= 0) return 0;
        buffer = buffer[..n];
        buffer.Clear(); // the file's middle, its padding and the end blocks are zeros
        CopyOverlap(buffer, 0, _prefix);
        CopyOverlap(buffer, _prefix.Length, Begin);
        CopyOverlap(buffer, _prefix.Length + FileLength - End.Length, End);
        Position += n;
        return n;
    }

    /// <summary>Copies the part of <paramref name="region"/> (at <paramref name="regionStart"/> in the volume) that falls in the buffer.</summary>
    private void CopyOverlap(Span<byte> buffer, long regionStart, ReadOnlySpan<byte> region)
    {
        long from = Math.Max(Position, regionStart);
        long to = Math.Min(Position + buffer.Length, regionStart + region.Length);
        if (from < to) region[(int)(from - regionStart)..(int)(to - regionStart)].CopyTo(buffer[(int)(from - Position)..]);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get; set; }
    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => Position + offset,
        _ => _length + offset,
    };

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
