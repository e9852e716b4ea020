namespace Duplicity.Files;

/// <summary>The kinds of file system object a backup stores.</summary>
public enum FileEntryType
{
    /// <summary>A regular file.</summary>
    Regular,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A symbolic link (stored, never followed).</summary>
    Symlink,
    /// <summary>A named pipe.</summary>
    Fifo,
    /// <summary>A character device.</summary>
    CharacterDevice,
    /// <summary>A block device.</summary>
    BlockDevice,
}
