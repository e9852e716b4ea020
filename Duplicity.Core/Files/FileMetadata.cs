namespace Duplicity.Files;

/// <summary>
/// What a backup records about one file system object: type, permissions, ownership, modification
/// time, size, link target and device numbers (the fields of a duplicity tar header).
/// </summary>
public sealed record FileMetadata
{
    /// <summary>The object's type.</summary>
    public required FileEntryType Type { get; init; }

    /// <summary>Permission bits including setuid, setgid and sticky (<c>&amp; 07777</c>).</summary>
    public int Mode { get; init; }

    /// <summary>Numeric owner.</summary>
    public long Uid { get; init; }

    /// <summary>Numeric group.</summary>
    public long Gid { get; init; }

    /// <summary>Owner's name on the machine that made the backup, or null when it has none.</summary>
    public string? UserName { get; init; }

    /// <summary>Group's name on the machine that made the backup, or null when it has none.</summary>
    public string? GroupName { get; init; }

    /// <summary>Modification time in whole seconds since the Unix epoch.</summary>
    public long MTime { get; init; }

    /// <summary>Size in bytes for regular files (0 otherwise).</summary>
    public long Size { get; init; }

    /// <summary>The raw target bytes of a symbolic link.</summary>
    public byte[]? LinkTarget { get; init; }

    /// <summary>Major device number of a device.</summary>
    public int DeviceMajor { get; init; }

    /// <summary>Minor device number of a device.</summary>
    public int DeviceMinor { get; init; }
}
