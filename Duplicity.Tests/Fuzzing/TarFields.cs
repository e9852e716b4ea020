using System.Buffers.Binary;
using System.Text;

namespace Duplicity.Tests.Fuzzing;

/// <summary>
/// Tar-aware mutation: the numeric fields of a header block (octal text or GNU base-256) set to
/// extreme values, and header checksums repaired so that mutants get past the checksum test.
/// </summary>
internal static class TarFields
{
    private const int Block = 512;

    // (offset, length) of mode, uid, gid, size, mtime, devmajor, devminor.
    private static readonly (int Offset, int Length)[] Numeric = [(100, 8), (108, 8), (116, 8), (124, 12), (136, 12), (329, 8), (337, 8)];

    private static readonly string[] OctalExtremes = ["0", "1", "7777777", "77777777777", "777777777777", "17777777777", "-1", " 12 ", "8", "", "0000000000000000"];

    private static readonly long[] Base256Extremes = [0, 1, -1, int.MaxValue, (long)int.MaxValue + 1, uint.MaxValue, long.MaxValue, long.MinValue, 1L << 40, -(1L << 40)];

    /// <summary>Offsets of blocks that look like ustar/GNU headers (magic at 257), on 512-byte boundaries.</summary>
    public static List<int> HeaderOffsets(byte[] data)
    {
        var offsets = new List<int>();
        for (int o = 0; o + Block <= data.Length; o += Block)
        {
            if (data.AsSpan(o + 257, 5).SequenceEqual("ustar"u8)) offsets.Add(o);
        }
        return offsets;
    }

    public static byte[] MutateNumber(byte[] data, Random random)
    {
        var headers = HeaderOffsets(data);
        if (headers.Count == 0) return data;
        var copy = (byte[])data.Clone();
        int header = headers[random.Next(headers.Count)];
        var (offset, length) = Numeric[random.Next(Numeric.Length)];
        Span<byte> field = copy.AsSpan(header + offset, length);
        field.Clear();
        if (random.Next(2) == 0)
        {
            byte[] text = Encoding.ASCII.GetBytes(OctalExtremes[random.Next(OctalExtremes.Length)]);
            text.AsSpan(0, Math.Min(text.Length, length)).CopyTo(field);
        }
        else
        {
            long value = Base256Extremes[random.Next(Base256Extremes.Length)];
            field.Fill(value < 0 ? (byte)0xFF : (byte)0);
            field[0] = random.Next(4) == 0 ? (byte)(value < 0 ? 0x80 : 0xFF) : value < 0 ? (byte)0xFF : (byte)0x80;
            Span<byte> be = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(be, value);
            int keep = Math.Min(8, length - 1);
            be[(8 - keep)..].CopyTo(field[(length - keep)..]);
            if (random.Next(4) == 0) field[1] = (byte)random.Next(256); // overflowing high bytes
        }
        FixChecksum(copy, header);
        return copy;
    }

    /// <summary>Rewrites the checksum of most header-looking blocks (some are left broken on purpose).</summary>
    public static byte[] FixChecksums(byte[] data, Random random)
    {
        if (random.Next(8) == 0) return data;
        var copy = (byte[])data.Clone();
        foreach (int header in HeaderOffsets(copy)) FixChecksum(copy, header);
        return copy;
    }

    private static void FixChecksum(byte[] data, int header)
    {
        Span<byte> block = data.AsSpan(header, Block);
        block.Slice(148, 8).Fill((byte)' ');
        int sum = 0;
        foreach (byte b in block) sum += b;
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0')).CopyTo(block[148..]);
        block[154] = 0;
        block[155] = (byte)' ';
    }
}
