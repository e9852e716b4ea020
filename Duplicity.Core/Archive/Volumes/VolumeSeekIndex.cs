using System.Buffers.Binary;
using System.Text;
using Duplicity.Crypto;
using Duplicity.Files;
using Duplicity.IO;

namespace Duplicity.Archive.Volumes;

/// <summary>A tar header's path and its offset in the volume's tar stream, noted by the writer about once a megabyte.</summary>
internal readonly record struct VolumeEntryPoint(IndexPath Index, long TarOffset);

/// <summary>
/// Where reading of a volume can begin at the tar header of <see cref="Index"/>. Gzip: raw inflate from
/// <see cref="StoredOffset"/> in the stored file (a deflate block start), then drop <see cref="Skip"/> bytes.
/// OpenPGP: decrypt to <see cref="StoredOffset"/> in the compressed packet's deflate data (a block start),
/// raw inflate from there, read the literal packet's body with <see cref="ChunkRemaining"/> bytes left in
/// its current chunk, then drop <see cref="Skip"/> bytes of it.
/// </summary>
internal readonly record struct VolumeSeekPoint(IndexPath Index, long StoredOffset, int Skip, int ChunkRemaining = 0);

/// <summary>
/// Seek points into the volumes of one backup set, kept in the archive dir next to its manifest: a restore
/// of one path starts inflating at the last point before it instead of at the volume's start.
/// </summary>
/// <remarks>
/// Only volumes we compress ourselves have points (gzip, or OpenPGP with our own compression): their deflate
/// blocks are independent (see <see cref="ParallelDeflateStream"/>), so a block start is a valid place to
/// begin. Decryption still runs from the start of an OpenPGP volume (CFB), but it costs far less than
/// inflating, and the literal packet's framing is known from its length. Each volume's points
/// carry the SHA-1 of the stored file they describe; a restore uses them only for a volume whose whole
/// stored file matched that hash and the manifest's, and only after the header found at the point names
/// the path noted for it. The file is ours alone (duplicity neither reads nor lists it), and losing it
/// costs only speed.
/// </remarks>
internal sealed class VolumeSeekIndex
{
    // Version 1 had no ChunkRemaining; it is still read (gzip points, where it is 0).
    private static readonly byte[] MagicV1 = "DNSEEK1\n"u8.ToArray();
    private static readonly byte[] Magic = "DNSEEK2\n"u8.ToArray();
    private const int MaxPathLength = 1 << 16;
    private const int MaxPoints = 1 << 24;

    private readonly Dictionary<int, (string Sha1, VolumeSeekPoint[] Points)> _volumes = [];

    /// <summary>Adds a volume's points (in path order, as the writer produces them; chunks of one file share a path).</summary>
    public void Add(int volumeNumber, string sha1, IReadOnlyList<VolumeSeekPoint> points) =>
        _volumes[volumeNumber] = (sha1.ToLowerInvariant(), [.. points]);

    /// <summary>The points of a volume, in path order (none when the index has no points for it).</summary>
    public IReadOnlyList<VolumeSeekPoint> PointsOf(int volumeNumber) =>
        _volumes.TryGetValue(volumeNumber, out var volume) ? volume.Points : [];

    /// <summary>Number of volumes with points.</summary>
    public int Count => _volumes.Count;

    /// <summary>
    /// The last point of volume <paramref name="volumeNumber"/> before <paramref name="path"/> (so that every entry
    /// of the path and of what lies below it follows), when the index has points for exactly the stored file
    /// <paramref name="sha1"/>; null when reading must begin at the volume's start.
    /// </summary>
    public VolumeSeekPoint? FindBefore(int volumeNumber, string? sha1, IndexPath path)
    {
        if (sha1 == null || path.IsRoot || !_volumes.TryGetValue(volumeNumber, out var volume)
            || !string.Equals(volume.Sha1, sha1, StringComparison.OrdinalIgnoreCase)) return null;
        var points = volume.Points;
        int lo = 0, hi = points.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (points[mid].Index < path) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found >= 0 ? points[found] : null;
    }

    /// <summary>
    /// Joins the writer's entry points with the compressor's block starts: each entry point is reached from the
    /// last block starting at or before it. Entries in the first block get no point: reading from the volume's
    /// start costs the same there.
    /// </summary>
    public static List<VolumeSeekPoint> Build(IReadOnlyList<VolumeEntryPoint> entries, IReadOnlyList<DeflateBlockStart> blocks) =>
        Join(entries, blocks, tarOffset => tarOffset, (entry, b) =>
            b == 0 || entry.TarOffset - blocks[b].Input > int.MaxValue
                ? null
                : new VolumeSeekPoint(entry.Index, blocks[b].Output, (int)(entry.TarOffset - blocks[b].Input)));

    /// <summary>
    /// Joins the writer's entry points with the layout of an OpenPGP message we compressed: an entry point's
    /// tar offset is a data offset in the literal packet, reached from the last block starting at or before
    /// it inside that packet's partial chunks (the final chunk is not entered: it is at most 64 KiB).
    /// </summary>
    public static List<VolumeSeekPoint> BuildForOpenPgp(IReadOnlyList<VolumeEntryPoint> entries, OpenPgpMessageLayout layout) =>
        Join(entries, layout.BlockStarts, layout.InputOffsetOf, (entry, b) =>
        {
            var block = layout.BlockStarts[b];
            if (!PartialBodyLayout.TryLocateInPartialChunk(block.Input - layout.LiteralPacketStart, layout.LiteralBodyLength, out long bodyOffset, out int remaining))
                return null;
            long skip = layout.DataStart + entry.TarOffset - bodyOffset;
            return skip is < 0 or > int.MaxValue ? null : new VolumeSeekPoint(entry.Index, block.Output, (int)skip, remaining);
        });

    /// <summary>
    /// Walks the entry points (in tar order) and the blocks together: <paramref name="point"/> gets each entry with
    /// the index of the last block whose input starts at or before the entry's input offset, and may decline.
    /// </summary>
    private static List<VolumeSeekPoint> Join(IReadOnlyList<VolumeEntryPoint> entries, IReadOnlyList<DeflateBlockStart> blocks,
        Func<long, long> inputOffsetOf, Func<VolumeEntryPoint, int, VolumeSeekPoint?> point)
    {
        var points = new List<VolumeSeekPoint>(entries.Count);
        int b = 0;
        foreach (var entry in entries)
        {
            long input = inputOffsetOf(entry.TarOffset);
            while (b + 1 < blocks.Count && blocks[b + 1].Input <= input) b++;
            if (blocks.Count == 0 || blocks[b].Input > input) continue;
            if (point(entry, b) is { } found) points.Add(found);
        }
        return points;
    }

    /// <summary>Writes the index to <paramref name="path"/> (private to the user, replaced whole or not at all).</summary>
    public Task SaveAsync(string path, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        // BinaryWriter is little-endian on every platform.
        using (var writer = new BinaryWriter(buffer, Encoding.ASCII, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(_volumes.Count);
            foreach (var (number, (sha1, points)) in _volumes.OrderBy(v => v.Key))
            {
                writer.Write(number);
                var hash = Encoding.ASCII.GetBytes(sha1);
                writer.Write(hash.Length);
                writer.Write(hash);
                writer.Write(points.Length);
                foreach (var p in points)
                {
                    writer.Write(p.StoredOffset);
                    writer.Write(p.Skip);
                    writer.Write(p.ChunkRemaining);
                    writer.Write(p.Index.Bytes.Length);
                    writer.Write(p.Index.Bytes);
                }
            }
        }
        var bytes = buffer.ToArray();
        return DurableFile.WriteAsync(path, (file, token) => file.WriteAsync(bytes, token).AsTask(), cancellationToken);
    }

    /// <summary>Reads an index saved by <see cref="SaveAsync"/>; null when the file is missing or not a well-formed index.</summary>
    public static VolumeSeekIndex? TryLoad(string path)
    {
        byte[] data;
        try { data = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        try
        {
            return Parse(data);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // ArgumentException: a path the index holds is not a valid one (a NUL byte, say).
            return null;
        }
    }

    private static VolumeSeekIndex Parse(byte[] data)
    {
        bool v2 = data.AsSpan().StartsWith(Magic);
        if (!v2 && !data.AsSpan().StartsWith(MagicV1)) throw new FormatException("not a seek index");
        int pos = Magic.Length;
        int Int32()
        {
            if (data.Length - pos < 4) throw new FormatException("truncated");
            int v = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(pos));
            pos += 4;
            return v;
        }
        long Int64()
        {
            if (data.Length - pos < 8) throw new FormatException("truncated");
            long v = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(pos));
            pos += 8;
            return v;
        }
        ReadOnlySpan<byte> Bytes(int length, int max)
        {
            if (length < 0 || length > max || data.Length - pos < length) throw new FormatException("bad length");
            var span = data.AsSpan(pos, length);
            pos += length;
            return span;
        }
        var index = new VolumeSeekIndex();
        int volumes = Int32();
        if (volumes < 0) throw new FormatException("bad count");
        for (int v = 0; v < volumes; v++)
        {
            int number = Int32();
            string sha1 = Encoding.ASCII.GetString(Bytes(Int32(), 128));
            int count = Int32();
            if (count < 0 || count > MaxPoints) throw new FormatException("bad count");
            var points = new VolumeSeekPoint[count];
            for (int i = 0; i < count; i++)
            {
                long offset = Int64();
                int skip = Int32();
                int remaining = v2 ? Int32() : 0;
                var name = IndexPath.FromBytes(Bytes(Int32(), MaxPathLength));
                if (offset < 0 || skip < 0 || remaining < 0 || remaining > PartialBodyLayout.ChunkSize || (i > 0 && name < points[i - 1].Index))
                    throw new FormatException("bad point");
                points[i] = new VolumeSeekPoint(name, offset, skip, remaining);
            }
            // Version 1 kept points in a gzip volume's first block (right after its 10-byte header), which save nothing.
            index._volumes[number] = (sha1.ToLowerInvariant(), v2 ? points : [.. points.Where(p => p.StoredOffset != ParallelGzipStream.HeaderLength)]);
        }
        if (pos != data.Length) throw new FormatException("trailing bytes");
        return index;
    }
}
