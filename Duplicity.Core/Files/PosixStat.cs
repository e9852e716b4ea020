namespace Duplicity.Files;

/// <summary>What <c>statx</c> reports about one object (the fields a backup needs).</summary>
internal readonly record struct PosixStat
{
    internal const int TypeMask = 0xF000;
    internal const int SocketBits = 0xC000;
    internal const int SymlinkBits = 0xA000;
    internal const int RegularBits = 0x8000;
    internal const int BlockDeviceBits = 0x6000;
    internal const int DirectoryBits = 0x4000;
    internal const int CharacterDeviceBits = 0x2000;
    internal const int FifoBits = 0x1000;

    /// <summary>Type bits and permission bits, as in <c>st_mode</c>.</summary>
    public int Mode { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public long Size { get; init; }
    public long MTimeSeconds { get; init; }
    public uint MTimeNanoseconds { get; init; }
    /// <summary>Device the object lives on (compared by --exclude-other-filesystems).</summary>
    public uint DevMajor { get; init; }
    public uint DevMinor { get; init; }
    /// <summary>Device numbers of a character or block device.</summary>
    public uint RdevMajor { get; init; }
    public uint RdevMinor { get; init; }
    public ulong Inode { get; init; }

    public int TypeBits => Mode & TypeMask;
    public bool IsDirectory => TypeBits == DirectoryBits;
    public bool IsSymlink => TypeBits == SymlinkBits;
    public bool IsRegular => TypeBits == RegularBits;
    public bool IsSocket => TypeBits == SocketBits;

    /// <summary>The backup type of this object, or null for sockets and unknown kinds.</summary>
    public FileEntryType? EntryType => TypeBits switch
    {
        RegularBits => FileEntryType.Regular,
        DirectoryBits => FileEntryType.Directory,
        SymlinkBits => FileEntryType.Symlink,
        FifoBits => FileEntryType.Fifo,
        CharacterDeviceBits => FileEntryType.CharacterDevice,
        BlockDeviceBits => FileEntryType.BlockDevice,
        _ => null,
    };

    /// <summary>Both device numbers of the containing file system, as one comparable value.</summary>
    public ulong DeviceId => ((ulong)DevMajor << 32) | DevMinor;
}
