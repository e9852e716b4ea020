namespace Duplicity.Sessions;

/// <summary>How a local object differs from the backup (see <see cref="VerifyDifference"/> for the values each kind carries).</summary>
public enum VerifyDifferenceKind
{
    /// <summary>The object exists locally but not in the backup.</summary>
    NewFile,

    /// <summary>The object is in the backup but missing locally.</summary>
    Missing,

    /// <summary>The object's type differs: values are <c>reg</c>, <c>dir</c>, <c>sym</c>, <c>fifo</c>, <c>chr</c> or <c>blk</c>.</summary>
    Type,

    /// <summary>Owner or mode differ: values are <c>uid:gid mode</c>, the mode in octal (the backup's owner mapped to this machine by name).</summary>
    Permissions,

    /// <summary>The modification time differs: values are times in ISO 8601 (UTC, whole seconds).</summary>
    ModificationTime,

    /// <summary>A regular file's content differs (no values).</summary>
    Data,

    /// <summary>A symbolic link points elsewhere: values are the link targets.</summary>
    SymlinkTarget,

    /// <summary>A device file's numbers differ: values are <c>major,minor</c>.</summary>
    DeviceNumbers,
}
