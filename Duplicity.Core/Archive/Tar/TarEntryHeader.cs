using System.Text;
using Duplicity.Files;

namespace Duplicity.Archive.Tar;

/// <summary>
/// The fields of one tar entry as duplicity uses them. Names and link targets stay raw bytes so
/// non-UTF-8 file names survive.
/// </summary>
internal sealed class TarEntryHeader
{
    /// <summary>Entry name bytes (e.g. <c>snapshot/sub/</c>).</summary>
    public byte[] Name { get; set; } = [];

    /// <summary>The typeflag byte (see <see cref="TarTypeFlag"/>).</summary>
    public byte TypeFlag { get; set; } = TarTypeFlag.Regular;

    /// <summary>Permission bits (written <c>&amp; 07777</c>).</summary>
    public int Mode { get; set; }

    /// <summary>Numeric owner.</summary>
    public long Uid { get; set; }

    /// <summary>Numeric group.</summary>
    public long Gid { get; set; }

    /// <summary>Owner name (empty when none).</summary>
    public string UserName { get; set; } = "";

    /// <summary>Group name (empty when none).</summary>
    public string GroupName { get; set; } = "";

    /// <summary>Modification time in whole seconds.</summary>
    public long MTime { get; set; }

    /// <summary>Length of the entry's data.</summary>
    public long Size { get; set; }

    /// <summary>Symlink target bytes (empty otherwise).</summary>
    public byte[] LinkName { get; set; } = [];

    /// <summary>Device major number (character and block devices).</summary>
    public int DevMajor { get; set; }

    /// <summary>Device minor number (character and block devices).</summary>
    public int DevMinor { get; set; }

    /// <summary>Offset in the tar stream of this entry's first header block, extended headers included (set by the reader).</summary>
    public long HeaderOffset { get; set; }

    /// <summary>
    /// The header duplicity writes for an object: type per the format's table, mode <c>&amp; 07777</c>,
    /// negative mtimes as 0, <paramref name="size"/> for regular files and 0 otherwise. A null
    /// <paramref name="metadata"/> gives a <c>deleted/</c> entry's header (type 0, everything zero).
    /// </summary>
    public static TarEntryHeader FromMetadata(byte[] entryName, FileMetadata? metadata, long size)
    {
        ArgumentNullException.ThrowIfNull(entryName);
        var h = new TarEntryHeader { Name = entryName };
        if (metadata is null) return h;
        h.TypeFlag = metadata.Type switch
        {
            FileEntryType.Regular => TarTypeFlag.Regular,
            FileEntryType.Directory => TarTypeFlag.Directory,
            FileEntryType.Symlink => TarTypeFlag.Symlink,
            FileEntryType.Fifo => TarTypeFlag.Fifo,
            FileEntryType.CharacterDevice => TarTypeFlag.CharacterDevice,
            FileEntryType.BlockDevice => TarTypeFlag.BlockDevice,
            _ => throw new ArgumentException($"Unknown file type {metadata.Type}.", nameof(metadata)),
        };
        h.Mode = metadata.Mode & 0xfff;
        h.Uid = metadata.Uid;
        h.Gid = metadata.Gid;
        h.UserName = metadata.UserName ?? "";
        h.GroupName = metadata.GroupName ?? "";
        h.MTime = Math.Max(0, metadata.MTime);
        h.Size = metadata.Type == FileEntryType.Regular ? size : 0;
        if (metadata.Type == FileEntryType.Symlink) h.LinkName = metadata.LinkTarget ?? [];
        if (metadata.Type is FileEntryType.CharacterDevice or FileEntryType.BlockDevice)
        {
            h.DevMajor = metadata.DeviceMajor;
            h.DevMinor = metadata.DeviceMinor;
        }
        return h;
    }

    /// <summary>
    /// The metadata a restore takes from this header: type from the typeflag (<c>0</c> and NUL are
    /// regular), mode <c>&amp; 07777</c>, negative mtimes as 0, numeric ids and stored names.
    /// </summary>
    /// <exception cref="ArchiveCorruptException">A hard link or an unknown type, which duplicity refuses.</exception>
    public FileMetadata ToMetadata()
    {
        FileEntryType type = TypeFlag switch
        {
            TarTypeFlag.Regular or TarTypeFlag.RegularOld => FileEntryType.Regular,
            TarTypeFlag.Directory => FileEntryType.Directory,
            TarTypeFlag.Symlink => FileEntryType.Symlink,
            TarTypeFlag.Fifo => FileEntryType.Fifo,
            TarTypeFlag.CharacterDevice => FileEntryType.CharacterDevice,
            TarTypeFlag.BlockDevice => FileEntryType.BlockDevice,
            TarTypeFlag.HardLink => throw new ArchiveCorruptException($"Hard links not supported (entry {Describe()})."),
            _ => throw new ArchiveCorruptException($"Unknown tar entry type 0x{TypeFlag:x2} (entry {Describe()})."),
        };
        bool device = type is FileEntryType.CharacterDevice or FileEntryType.BlockDevice;
        return new FileMetadata
        {
            Type = type,
            Mode = Mode & 0xfff,
            Uid = Uid,
            Gid = Gid,
            UserName = UserName.Length == 0 ? null : UserName,
            GroupName = GroupName.Length == 0 ? null : GroupName,
            MTime = Math.Max(0, MTime),
            Size = type == FileEntryType.Regular ? Size : 0,
            LinkTarget = type == FileEntryType.Symlink ? LinkName : null,
            DeviceMajor = device ? DevMajor : 0,
            DeviceMinor = device ? DevMinor : 0,
        };
    }

    /// <summary>The name for messages (invalid UTF-8 shown as U+FFFD).</summary>
    public string Describe() => Encoding.UTF8.GetString(Name);
}
