using Duplicity.Files;

namespace Duplicity.Selection;

/// <summary>One object of the source tree as the walker finds it.</summary>
public sealed class SourceEntry
{
    internal SourceEntry(IndexPath index, FileMetadata metadata, byte[] fullPath, PosixStat stat)
    {
        Index = index;
        Metadata = metadata;
        FullPath = fullPath;
        Stat = stat;
    }

    /// <summary>Path relative to the source root (the root itself is <see cref="IndexPath.Root"/>).</summary>
    public IndexPath Index { get; }

    /// <summary>Type, permissions, ownership, time, size, link target, device numbers.</summary>
    public FileMetadata Metadata { get; }

    /// <summary>The local path as raw bytes (no trailing NUL).</summary>
    public byte[] FullPath { get; }

    /// <summary>The raw lstat result (device of the containing file system, inode, nanoseconds).</summary>
    internal PosixStat Stat { get; }

    /// <summary>True for a directory.</summary>
    public bool IsDirectory => Metadata.Type == FileEntryType.Directory;

    /// <inheritdoc />
    public override string ToString() => $"{Index} ({Metadata.Type})";
}
