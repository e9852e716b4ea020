namespace Duplicity.Files;

/// <summary>
/// A source path no longer names the object the walk examined (it was replaced, for example by a
/// FIFO or a symlink, between the walk's lstat and the open). The backup skips it.
/// </summary>
internal sealed class SourceFileChangedException : IOException
{
    public SourceFileChangedException(ReadOnlySpan<byte> path, int foundTypeBits)
        : base($"'{PosixException.Describe(path)}' changed between examination and reading (now {Describe(foundTypeBits)}); not read.")
    {
        Path = PosixException.Describe(path);
        FoundTypeBits = foundTypeBits;
    }

    /// <summary>The path as text.</summary>
    public string Path { get; }

    /// <summary>The type bits (<c>st_mode &amp; S_IFMT</c>) of what the path refers to now.</summary>
    public int FoundTypeBits { get; }

    private static string Describe(int typeBits) => typeBits switch
    {
        PosixStat.RegularBits => "another regular file",
        PosixStat.SymlinkBits => "a symlink",
        PosixStat.FifoBits => "a FIFO",
        PosixStat.DirectoryBits => "a directory",
        PosixStat.CharacterDeviceBits or PosixStat.BlockDeviceBits => "a device",
        PosixStat.SocketBits => "a socket",
        _ => "an unknown kind",
    };
}
