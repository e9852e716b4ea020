using Duplicity.Archive.Naming;
using Duplicity.Files;
using Duplicity.Sessions;

namespace Duplicity.Samples.Output;

/// <summary>The extra field of a list-current-files record (code 10): <c>&lt;mtime&gt; '&lt;path&gt;' &lt;type&gt;</c>.</summary>
internal static class FileListLogInfo
{
    public static string Format(BackupEntry entry) =>
        $"{DuplicityTime.Format(entry.Metadata.MTime)} {PythonEscape.Quote(entry.Path.ToString())} {TypeName(entry.Metadata.Type)}";

    // duplicity's short type names.
    public static string TypeName(FileEntryType type) => type switch
    {
        FileEntryType.Regular => "reg",
        FileEntryType.Directory => "dir",
        FileEntryType.Symlink => "sym",
        FileEntryType.Fifo => "fifo",
        FileEntryType.CharacterDevice => "chr",
        FileEntryType.BlockDevice => "blk",
        _ => "unknown",
    };
}
