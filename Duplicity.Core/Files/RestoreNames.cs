using System.Security.Cryptography;
using System.Text;

namespace Duplicity.Files;

/// <summary>The rules both restore writers share: which archive paths are safe, temporary names, type words.</summary>
internal static class RestoreNames
{
    /// <summary>Refuses a path with an empty, <c>.</c> or <c>..</c> component or a NUL byte.</summary>
    /// <exception cref="UnsafePathException">The path could reach outside the target.</exception>
    public static void Validate(IndexPath index)
    {
        if (index.IsRoot) return;
        var bytes = index.Bytes;
        foreach (var range in bytes.Split((byte)'/'))
        {
            var component = bytes[range];
            string? reason = component.IsEmpty ? "an empty path component (absolute path?)"
                : component.SequenceEqual("."u8) ? "a '.' component"
                : component.SequenceEqual(".."u8) ? "a '..' component"
                : component.Contains((byte)0) ? "a NUL byte"
                : null;
            if (reason is not null) throw new UnsafePathException(index.ToString(), $"it contains {reason}");
        }
    }

    /// <summary>A fresh hidden name for a file being written.</summary>
    public static byte[] TempName()
    {
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        return Encoding.ASCII.GetBytes($".duplicity-{Convert.ToHexStringLower(random)}.part");
    }

    /// <summary>The type in words, for messages.</summary>
    public static string Describe(FileEntryType type) => type switch
    {
        FileEntryType.Regular => "regular file",
        FileEntryType.Symlink => "symbolic link",
        FileEntryType.Fifo => "named pipe",
        FileEntryType.CharacterDevice => "character device",
        FileEntryType.BlockDevice => "block device",
        _ => type.ToString(),
    };
}
