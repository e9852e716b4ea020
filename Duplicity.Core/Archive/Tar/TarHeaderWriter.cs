using System.Buffers;
using System.Text;

namespace Duplicity.Archive.Tar;

/// <summary>
/// Writes tar headers exactly as duplicity 0.8.22 does through Python 3.11's tarfile in pax format:
/// a ustar block, preceded by a <c>././@PaxHeader</c> extended header when the name or link target
/// is not ASCII or longer than 100 characters, a user or group name is not ASCII or longer than 32,
/// or a number does not fit its octal field. Non-UTF-8 values make the pax header start with
/// <c>hdrcharset=BINARY</c> and carry the raw bytes.
/// </summary>
internal static class TarHeaderWriter
{
    /// <summary>Size of a tar block.</summary>
    public const int BlockSize = 512;

    /// <summary>Python tarfile's record size (end-of-archive padding unit).</summary>
    public const int RecordSize = 10240;

    private const long OctalLimit7 = 1L << 21;   // 8^7: uid, gid, device numbers
    private const long OctalLimit11 = 1L << 33;  // 8^11: size, mtime
    private static readonly byte[] Zeros = new byte[RecordSize];

    /// <summary>Number of bytes <see cref="Write(TarEntryHeader, Span{byte})"/> produces for this header.</summary>
    public static int GetLength(TarEntryHeader header)
    {
        using var fields = new HeaderFields(header);
        int records = fields.PaxRecordsLength();
        return records == 0 ? BlockSize : 2 * BlockSize + PaddedLength(records);
    }

    /// <summary>Writes the header block(s) into <paramref name="destination"/>; returns the byte count.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="GetLength"/>.</exception>
    public static int Write(TarEntryHeader header, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(header);
        using var fields = new HeaderFields(header);
        int records = fields.PaxRecordsLength();
        int total = records == 0 ? BlockSize : 2 * BlockSize + PaddedLength(records);
        if (destination.Length < total) throw new ArgumentException("Destination too small for the tar header.", nameof(destination));
        int pos = 0;
        if (records != 0)
        {
            WriteBlock(destination[..BlockSize], "././@PaxHeader"u8, 0, 0, 0, records, 0, TarTypeFlag.PaxExtended, default, default, default, false, 0, 0);
            pos = BlockSize;
            Span<byte> body = destination.Slice(pos, PaddedLength(records));
            fields.WritePaxRecords(body);
            body[records..].Clear();
            pos += body.Length;
        }
        fields.WriteUstar(destination.Slice(pos, BlockSize));
        return total;
    }

    /// <summary>Writes the header block(s) to a stream.</summary>
    public static void Write(TarEntryHeader header, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int length = GetLength(header);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Write(header, buffer);
            output.Write(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Zero bytes needed after <paramref name="dataLength"/> bytes of entry data.</summary>
    public static int GetPaddingLength(long dataLength) => (int)((BlockSize - dataLength % BlockSize) % BlockSize);

    /// <summary>Writes the zero padding after an entry's data.</summary>
    public static void WritePadding(Stream output, long dataLength) => output.Write(Zeros, 0, GetPaddingLength(dataLength));

    /// <summary>Length of Python tarfile's closing: two zero blocks, then zeros to a multiple of 10240.</summary>
    public static int GetEndOfArchiveLength(long offset)
    {
        long end = offset + 2 * BlockSize;
        return (int)(2 * BlockSize + (RecordSize - end % RecordSize) % RecordSize);
    }

    /// <summary>Writes Python tarfile's closing for an archive whose entries end at <paramref name="offset"/>.</summary>
    public static void WriteEndOfArchive(Stream output, long offset)
    {
        int remaining = GetEndOfArchiveLength(offset);
        while (remaining > 0)
        {
            int n = Math.Min(remaining, Zeros.Length);
            output.Write(Zeros, 0, n);
            remaining -= n;
        }
    }

    /// <summary>Length of duplicity's gpg-volume footer: zeros to the next multiple of 10240, at least one block's worth (a full record when aligned).</summary>
    public static int GetVolumeFooterLength(long offset) => (int)(RecordSize - offset % RecordSize);

    private static int PaddedLength(int length) => (length + BlockSize - 1) / BlockSize * BlockSize;

    private static void WriteBlock(Span<byte> block, ReadOnlySpan<byte> name, int mode, long uid, long gid, long size, long mtime,
        byte type, ReadOnlySpan<byte> link, ReadOnlySpan<byte> uname, ReadOnlySpan<byte> gname, bool device, int major, int minor)
    {
        PythonText.WriteAsciiReplaced(name, block[..100]);
        WriteOctal(block.Slice(100, 8), mode & 0xfff);
        WriteOctal(block.Slice(108, 8), uid);
        WriteOctal(block.Slice(116, 8), gid);
        WriteOctal(block.Slice(124, 12), size);
        WriteOctal(block.Slice(136, 12), mtime);
        block.Slice(148, 8).Fill((byte)' ');
        block[156] = type;
        PythonText.WriteAsciiReplaced(link, block.Slice(157, 100));
        "ustar\000"u8.CopyTo(block[257..]);
        PythonText.WriteAsciiReplaced(uname, block.Slice(265, 32));
        PythonText.WriteAsciiReplaced(gname, block.Slice(297, 32));
        if (device)
        {
            if (major < 0 || major >= OctalLimit7 || minor < 0 || minor >= OctalLimit7)
                throw new ArgumentOutOfRangeException(nameof(major), "Device number does not fit a ustar field.");
            WriteOctal(block.Slice(329, 8), major);
            WriteOctal(block.Slice(337, 8), minor);
        }
        else
        {
            block.Slice(329, 16).Clear();
        }
        block[345..].Clear();
        int sum = 0;
        foreach (byte b in block) sum += b;
        WriteOctal(block.Slice(148, 7), sum);
    }

    /// <summary>Zero-padded octal digits filling all but the last byte, then NUL.</summary>
    private static void WriteOctal(Span<byte> field, long value)
    {
        int last = field.Length - 1;
        field[last] = 0;
        for (int i = last - 1; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }
    }

    /// <summary>The string fields of one header, their Python view, and what goes in pax records.</summary>
    private ref struct HeaderFields
    {
        private readonly TarEntryHeader _h;
        private readonly ReadOnlySpan<byte> _name;
        private readonly ReadOnlySpan<byte> _uname;
        private readonly ReadOnlySpan<byte> _gname;
        private byte[]? _rented;
        private readonly bool _paxName, _paxLink, _paxUname, _paxGname, _binary;
        private readonly bool _paxUid, _paxGid, _paxSize, _paxMtime;

        public HeaderFields(TarEntryHeader h)
        {
            _h = h;
            int unameMax = Encoding.UTF8.GetMaxByteCount(h.UserName.Length), gnameMax = Encoding.UTF8.GetMaxByteCount(h.GroupName.Length);
            bool directorySlash = h.TypeFlag == TarTypeFlag.Directory && (h.Name.Length == 0 || h.Name[^1] != (byte)'/');
            int need = unameMax + gnameMax + (directorySlash ? h.Name.Length + 1 : 0);
            _rented = need > 0 ? ArrayPool<byte>.Shared.Rent(need) : null;
            Span<byte> scratch = _rented;
            int used = 0;
            if (directorySlash)
            {
                // Python's TarInfo.get_info adds the slash a directory name lacks.
                h.Name.CopyTo(scratch);
                scratch[h.Name.Length] = (byte)'/';
                _name = scratch[..(h.Name.Length + 1)];
                used = h.Name.Length + 1;
            }
            else
            {
                _name = h.Name;
            }
            int n = Encoding.UTF8.GetBytes(h.UserName, scratch[used..]);
            _uname = scratch.Slice(used, n);
            used += n;
            n = Encoding.UTF8.GetBytes(h.GroupName, scratch[used..]);
            _gname = scratch.Slice(used, n);

            bool binary = false;
            _paxName = NeedsPax(_name, 100, ref binary);
            _paxLink = NeedsPax(h.LinkName, 100, ref binary);
            _paxUname = NeedsPax(_uname, 32, ref binary);
            _paxGname = NeedsPax(_gname, 32, ref binary);
            _binary = binary;
            _paxUid = h.Uid < 0 || h.Uid >= OctalLimit7;
            _paxGid = h.Gid < 0 || h.Gid >= OctalLimit7;
            _paxSize = h.Size < 0 || h.Size >= OctalLimit11;
            _paxMtime = h.MTime < 0 || h.MTime >= OctalLimit11;
        }

        private static bool NeedsPax(ReadOnlySpan<byte> value, int limit, ref bool binary)
        {
            int chars = PythonText.CountChars(value, out bool ascii, out bool valid);
            bool pax = !ascii || chars > limit;
            if (pax && !valid) binary = true;
            return pax;
        }

        public readonly int PaxRecordsLength()
        {
            int total = _binary ? "21 hdrcharset=BINARY\n".Length : 0;
            if (_paxName) total += RecordLength("path".Length, _name.Length);
            if (_paxLink) total += RecordLength("linkpath".Length, _h.LinkName.Length);
            if (_paxUname) total += RecordLength("uname".Length, _uname.Length);
            if (_paxGname) total += RecordLength("gname".Length, _gname.Length);
            if (_paxUid) total += RecordLength("uid".Length, DecimalLength(_h.Uid));
            if (_paxGid) total += RecordLength("gid".Length, DecimalLength(_h.Gid));
            if (_paxSize) total += RecordLength("size".Length, DecimalLength(_h.Size));
            if (_paxMtime) total += RecordLength("mtime".Length, DecimalLength(_h.MTime));
            return total;
        }

        public readonly void WritePaxRecords(Span<byte> dest)
        {
            int pos = 0;
            if (_binary)
            {
                "21 hdrcharset=BINARY\n"u8.CopyTo(dest);
                pos = 21;
            }
            Span<byte> digits = stackalloc byte[24];
            if (_paxName) pos += WriteRecord(dest[pos..], "path"u8, _name);
            if (_paxLink) pos += WriteRecord(dest[pos..], "linkpath"u8, _h.LinkName);
            if (_paxUname) pos += WriteRecord(dest[pos..], "uname"u8, _uname);
            if (_paxGname) pos += WriteRecord(dest[pos..], "gname"u8, _gname);
            if (_paxUid) pos += WriteRecord(dest[pos..], "uid"u8, Decimal(_h.Uid, digits));
            if (_paxGid) pos += WriteRecord(dest[pos..], "gid"u8, Decimal(_h.Gid, digits));
            if (_paxSize) pos += WriteRecord(dest[pos..], "size"u8, Decimal(_h.Size, digits));
            if (_paxMtime) WriteRecord(dest[pos..], "mtime"u8, Decimal(_h.MTime, digits));
        }

        public readonly void WriteUstar(Span<byte> block)
        {
            bool device = _h.TypeFlag is TarTypeFlag.CharacterDevice or TarTypeFlag.BlockDevice;
            WriteBlock(block, _name, _h.Mode, _paxUid ? 0 : _h.Uid, _paxGid ? 0 : _h.Gid, _paxSize ? 0 : _h.Size,
                _paxMtime ? 0 : _h.MTime, _h.TypeFlag, _h.LinkName, _uname, _gname, device, _h.DevMajor, _h.DevMinor);
        }

        public void Dispose()
        {
            if (_rented is not null) ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }

        /// <summary>Python's self-referential record length: "&lt;len&gt; key=value\n".</summary>
        private static int RecordLength(int keyLength, int valueLength)
        {
            int l = keyLength + valueLength + 3;
            int p = 0;
            while (true)
            {
                int n = l + DecimalLength(p);
                if (n == p) return p;
                p = n;
            }
        }

        private static int WriteRecord(Span<byte> dest, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            int length = RecordLength(key.Length, value.Length);
            length.TryFormat(dest, out int pos, default, System.Globalization.CultureInfo.InvariantCulture);
            dest[pos++] = (byte)' ';
            key.CopyTo(dest[pos..]);
            pos += key.Length;
            dest[pos++] = (byte)'=';
            value.CopyTo(dest[pos..]);
            pos += value.Length;
            dest[pos++] = (byte)'\n';
            return pos;
        }

        private static ReadOnlySpan<byte> Decimal(long value, Span<byte> buffer)
        {
            value.TryFormat(buffer, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
            return buffer[..written];
        }

        private static int DecimalLength(long value)
        {
            int length = value < 0 ? 2 : 1;
            value = Math.Abs(value);
            while (value >= 10)
            {
                value /= 10;
                length++;
            }
            return length;
        }
    }
}
