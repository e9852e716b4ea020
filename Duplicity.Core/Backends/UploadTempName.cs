using System.Security.Cryptography;
using System.Text;

namespace Duplicity.Backends;

/// <summary>
/// Names of the temporary files an upload is written to before it is renamed into place:
/// <c>.&lt;name&gt;.&lt;16 hex digits&gt;.tmp</c>, or <c>.&lt;16 hex digits&gt;.tmp</c> when the name is too long.
/// </summary>
/// <remarks>
/// For backends on storage without atomic uploads (file systems, SFTP, FTP, WebDAV): write to
/// <see cref="Create"/>'s name, rename into place when complete, and leave names that
/// <see cref="IsTemporary"/> recognises out of listings, so an interrupted upload never shows up as a
/// file. The built-in file backend and the SFTP backend share this shape, so either cleans up after the other.
/// </remarks>
public static class UploadTempName
{
    private const string Suffix = ".tmp";
    private const int RandomHexLength = 16;
    // Most file systems limit one name to 255 bytes.
    private const int MaxNameBytes = 255;

    /// <summary>A fresh temporary name for an upload of <paramref name="name"/>.</summary>
    /// <param name="name">The final file name (one path component).</param>
    /// <returns>A name in the same folder, starting with a dot, unique with overwhelming probability.</returns>
    public static string Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomHexLength / 2));
        var full = $".{name}.{random}{Suffix}";
        return Encoding.UTF8.GetByteCount(full) <= MaxNameBytes ? full : $".{random}{Suffix}";
    }

    /// <summary>Whether <paramref name="fileName"/> has the shape of a temporary upload name.</summary>
    /// <param name="fileName">A file name as listed (one path component).</param>
    public static bool IsTemporary(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        // '.' + [name '.'] + 16 hex + ".tmp"
        if (fileName.Length < 1 + RandomHexLength + Suffix.Length || fileName[0] != '.' ||
            !fileName.EndsWith(Suffix, StringComparison.Ordinal))
            return false;
        var hexStart = fileName.Length - Suffix.Length - RandomHexLength;
        if (hexStart != 1 && (hexStart < 3 || fileName[hexStart - 1] != '.'))
            return false;
        foreach (var c in fileName.AsSpan(hexStart, RandomHexLength))
        {
            if (!char.IsAsciiHexDigitLower(c))
                return false;
        }
        return true;
    }
}
