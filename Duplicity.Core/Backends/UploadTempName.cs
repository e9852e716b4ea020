using System.Security.Cryptography;
using System.Text;

namespace Duplicity.Backends;

/// <summary>
/// Names of the temporary files an upload is written to before it is renamed into place:
/// <c>.&lt;name&gt;.&lt;16 hex digits&gt;.tmp</c>, or <c>.&lt;16 hex digits&gt;.tmp</c> when the name is too long.
/// </summary>
internal static class UploadTempName
{
    private const string Suffix = ".tmp";
    private const int RandomHexLength = 16;
    // Most file systems limit one name to 255 bytes.
    private const int MaxNameBytes = 255;

    /// <summary>A fresh temporary name for an upload of <paramref name="name"/>.</summary>
    public static string Create(string name)
    {
        var random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomHexLength / 2));
        var full = $".{name}.{random}{Suffix}";
        return Encoding.UTF8.GetByteCount(full) <= MaxNameBytes ? full : $".{random}{Suffix}";
    }

    /// <summary>Whether <paramref name="fileName"/> has the shape of a temporary upload name.</summary>
    public static bool IsTemporary(string fileName)
    {
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
