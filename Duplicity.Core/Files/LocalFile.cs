namespace Duplicity.Files;

/// <summary>Turns what the local file system reports into the metadata a backup stores.</summary>
internal static class LocalFile
{
    /// <summary>
    /// Builds the metadata of the object at <paramref name="path"/> from its lstat result; reads the
    /// link target of a symlink. Returns null for objects a backup cannot hold (sockets).
    /// </summary>
    public static FileMetadata? ReadMetadata(ReadOnlySpan<byte> path, in PosixStat st)
    {
        if (st.EntryType is not { } type) return null;
        bool isDevice = type is FileEntryType.CharacterDevice or FileEntryType.BlockDevice;
        return new FileMetadata
        {
            Type = type,
            Mode = st.Mode & 0xFFF,
            Uid = st.Uid,
            Gid = st.Gid,
            UserName = OwnerNames.GetUserName(st.Uid),
            GroupName = OwnerNames.GetGroupName(st.Gid),
            MTime = st.MTimeSeconds,
            Size = type == FileEntryType.Regular ? st.Size : 0,
            LinkTarget = type == FileEntryType.Symlink ? Posix.ReadLink(path) : null,
            DeviceMajor = isDevice ? (int)st.RdevMajor : 0,
            DeviceMinor = isDevice ? (int)st.RdevMinor : 0,
        };
    }

    /// <summary>Joins a directory path and a name with one <c>/</c> (no NUL is added).</summary>
    public static byte[] Join(ReadOnlySpan<byte> directory, ReadOnlySpan<byte> name)
    {
        if (!directory.IsEmpty && directory[^1] == 0) directory = directory[..^1];
        bool slash = !directory.IsEmpty && directory[^1] != (byte)'/';
        var joined = new byte[directory.Length + (slash ? 1 : 0) + name.Length];
        directory.CopyTo(joined);
        if (slash) joined[directory.Length] = (byte)'/';
        name.CopyTo(joined.AsSpan(directory.Length + (slash ? 1 : 0)));
        return joined;
    }
}
