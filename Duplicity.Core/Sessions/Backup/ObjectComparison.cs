using Duplicity.Files;

namespace Duplicity.Sessions.Backup;

/// <summary>duplicity's test of whether an object changed since its signature was recorded (archive-format §7.3).</summary>
internal static class ObjectComparison
{
    public static bool IsUnchanged(FileMetadata current, FileMetadata previous)
    {
        if (current.Type != previous.Type) return false;
        if (current.Type == FileEntryType.Symlink)
            return (current.LinkTarget ?? []).AsSpan().SequenceEqual(previous.LinkTarget ?? []);
        // The signature side's owner is the local id of its stored name, else its stored number.
        long uid = previous.UserName is { Length: > 0 } u && OwnerNames.GetUserId(u) is { } lu ? lu : previous.Uid;
        long gid = previous.GroupName is { Length: > 0 } g && OwnerNames.GetGroupId(g) is { } lg ? lg : previous.Gid;
        if (current.Mode != previous.Mode || current.Uid != uid || current.Gid != gid) return false;
        if (current.Type is FileEntryType.CharacterDevice or FileEntryType.BlockDevice)
            return current.DeviceMajor == previous.DeviceMajor && current.DeviceMinor == previous.DeviceMinor;
        return current.MTime == previous.MTime || (current.MTime <= 0 && previous.MTime <= 0);
    }
}
