namespace Duplicity.Files;

/// <summary>
/// A restore was asked to write somewhere outside its target folder: a path component that is
/// empty, <c>.</c>, <c>..</c> or holds a NUL, or a path that passes through a symbolic link or a
/// non-directory below the target.
/// </summary>
public sealed class UnsafePathException : ArchiveCorruptException
{
    /// <summary>Creates the error for the archive path <paramref name="path"/>.</summary>
    public UnsafePathException(string path, string reason)
        : base($"Refusing to restore '{path}': {reason}.")
    {
        Path = path;
    }

    /// <summary>The offending archive path as text.</summary>
    public string Path { get; }
}
