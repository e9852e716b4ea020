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
        // The signature side's owner is the local id of its stored name, else its stored number. A layer that
        // cannot see owners (the portable one) compares permission bits only, so an incremental on top of a
        // native full does not store every object again for its owner.
        var layer = FileLayer.Current;
        if (current.Mode != previous.Mode) return false;
        if (layer.KnowsOwners && (current.Uid != layer.LocalUid(previous) || current.Gid != layer.LocalGid(previous))) return false;
        if (current.Type is FileEntryType.CharacterDevice or FileEntryType.BlockDevice)
            return current.DeviceMajor == previous.DeviceMajor && current.DeviceMinor == previous.DeviceMinor;
        return current.MTime == previous.MTime || (current.MTime <= 0 && previous.MTime <= 0);
    }
}
