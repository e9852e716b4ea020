using System.Globalization;
using System.Text;

namespace Duplicity.Archive.Tar;

/// <summary>Decodes one 512-byte tar header block and pax record sets, as Python's tarfile reads them.</summary>
internal static class TarHeaderParser
{
    public static bool IsZeroBlock(ReadOnlySpan<byte> block) => block.IndexOfAnyExcept((byte)0) < 0;

    /// <summary>Decodes a header block (not all zero) without applying pax or GNU long names.</summary>
    public static TarEntryHeader ParseBlock(ReadOnlySpan<byte> block, long offset)
    {
        long checksum = ReadNumber(block.Slice(148, 8), offset, "checksum");
        int unsigned = 256, signed = 256;
        for (int i = 0; i < BlockSizeWithoutChecksum; i++)
        {
            byte b = block[i < 148 ? i : i + 8];
            unsigned += b;
            signed += (sbyte)b;
        }
        if (checksum != unsigned && checksum != signed)
            throw new ArchiveCorruptException($"Bad tar header checksum at offset {offset}.");

        var h = new TarEntryHeader
        {
            HeaderOffset = offset,
            Name = NulTerminated(block[..100]).ToArray(),
            Mode = (int)(ReadNumber(block.Slice(100, 8), offset, "mode") & 0xfff),
            Uid = ReadNumber(block.Slice(108, 8), offset, "uid"),
            Gid = ReadNumber(block.Slice(116, 8), offset, "gid"),
            Size = ReadNumber(block.Slice(124, 12), offset, "size"),
            MTime = ReadNumber(block.Slice(136, 12), offset, "mtime"),
            TypeFlag = block[156],
            LinkName = NulTerminated(block.Slice(157, 100)).ToArray(),
            UserName = Text(NulTerminated(block.Slice(265, 32))),
            GroupName = Text(NulTerminated(block.Slice(297, 32))),
        };
        long major = ReadNumber(block.Slice(329, 8), offset, "devmajor");
        long minor = ReadNumber(block.Slice(337, 8), offset, "devminor");
        h.DevMajor = (int)Math.Clamp(major, int.MinValue, int.MaxValue);
        h.DevMinor = (int)Math.Clamp(minor, int.MinValue, int.MaxValue);

        // Old V7 tars mark directories as regular files whose name ends in '/'.
        if (h.TypeFlag == TarTypeFlag.RegularOld && h.Name.Length > 0 && h.Name[^1] == (byte)'/')
            h.TypeFlag = TarTypeFlag.Directory;

        // ustar splits long names into prefix and name; the GNU format uses that space for other fields.
        bool gnuType = h.TypeFlag is TarTypeFlag.GnuLongName or TarTypeFlag.GnuLongLink or TarTypeFlag.GnuSparse;
        ReadOnlySpan<byte> prefix = NulTerminated(block.Slice(345, 155));
        if (!prefix.IsEmpty && !gnuType && block.Slice(257, 6).SequenceEqual("ustar\0"u8))
        {
            var joined = new byte[prefix.Length + 1 + h.Name.Length];
            prefix.CopyTo(joined);
            joined[prefix.Length] = (byte)'/';
            h.Name.CopyTo(joined, prefix.Length + 1);
            h.Name = joined;
        }
        return h;
    }

    private const int BlockSizeWithoutChecksum = 504;

    /// <summary>A numeric field: base-256 when the first byte is 0x80 or 0xff, else octal text.</summary>
    public static long ReadNumber(ReadOnlySpan<byte> field, long offset, string what)
    {
        if (field[0] is 0x80 or 0xff)
        {
            // Base-256 (GNU): big-endian two's complement after the marker byte; 0xff marks a negative.
            bool negative = field[0] == 0xff;
            ReadOnlySpan<byte> digits = field[1..];
            int keep = Math.Min(8, digits.Length);
            byte fill = negative ? (byte)0xff : (byte)0;
            if (digits[..^keep].IndexOfAnyExcept(fill) >= 0)
                throw new ArchiveCorruptException($"Tar {what} field overflows at offset {offset}.");
            ulong raw = 0;
            foreach (byte b in digits[^keep..]) raw = (raw << 8) | b;
            if (keep < 8 && negative) raw |= ulong.MaxValue << (8 * keep);
            long n = (long)raw;
            if (negative != (n < 0)) throw new ArchiveCorruptException($"Tar {what} field overflows at offset {offset}.");
            return n;
        }
        ReadOnlySpan<byte> text = NulTerminated(field).Trim(" \t\n\r\v\f"u8);
        long value = 0;
        foreach (byte b in text)
        {
            if (b < '0' || b > '7') throw new ArchiveCorruptException($"Bad tar {what} field at offset {offset}.");
            if (value > (long.MaxValue >> 3)) throw new ArchiveCorruptException($"Tar {what} field overflows at offset {offset}.");
            value = value * 8 + (b - '0');
        }
        return value;
    }

    public static ReadOnlySpan<byte> NulTerminated(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return nul < 0 ? field : field[..nul];
    }

    /// <summary>Names are text in the model; invalid UTF-8 becomes U+FFFD.</summary>
    public static string Text(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? "" : Encoding.UTF8.GetString(bytes);

    /// <summary>
    /// Parses pax records (<c>"&lt;len&gt; key=value\n"</c>) into <paramref name="into"/>, stopping at
    /// the end or a NUL byte as Python does. Values stay raw bytes.
    /// </summary>
    public static void ParsePaxRecords(ReadOnlySpan<byte> data, Dictionary<string, byte[]> into, long offset)
    {
        int pos = 0;
        while (pos < data.Length && data[pos] != 0)
        {
            int digits = 0;
            while (pos + digits < data.Length && digits <= 20 && data[pos + digits] is >= (byte)'0' and <= (byte)'9') digits++;
            if (digits == 0 || digits > 20 || pos + digits >= data.Length || data[pos + digits] != (byte)' ')
                throw new ArchiveCorruptException($"Invalid pax header at offset {offset}.");
            if (!long.TryParse(data.Slice(pos, digits), NumberStyles.None, CultureInfo.InvariantCulture, out long length)
                || length < 5 || length < digits + 2 || length > data.Length - pos)
                throw new ArchiveCorruptException($"Invalid pax header at offset {offset}.");
            int end = pos + (int)length - 1;
            ReadOnlySpan<byte> keyValue = data[(pos + digits + 1)..end];
            int eq = keyValue.IndexOf((byte)'=');
            if (eq <= 0 || data[end] != (byte)'\n')
                throw new ArchiveCorruptException($"Invalid pax header at offset {offset}.");
            into[Encoding.UTF8.GetString(keyValue[..eq])] = keyValue[(eq + 1)..].ToArray();
            pos += (int)length;
        }
    }
}
