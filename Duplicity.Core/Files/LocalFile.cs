namespace Duplicity.Files;

/// <summary>Byte-path helpers shared by both file layers.</summary>
internal static class LocalFile
{
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
