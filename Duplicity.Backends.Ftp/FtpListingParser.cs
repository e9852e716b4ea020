using System.Globalization;
using System.Text;

namespace Duplicity.Backends.Ftp;

/// <summary>Reads the two listings the backend asks for: MLSD (RFC 3659 §7) and NLST (RFC 959).</summary>
internal static class FtpListingParser
{
    /// <summary>One MLSD entry: its name, its type fact in lower case ("file", "dir", "cdir", ...) and its size when given.</summary>
    internal readonly record struct MlsdEntry(string Name, string Type, long? Size);

    /// <summary>Splits a listing's bytes into lines (CR LF or LF), skipping empty ones.</summary>
    public static IEnumerable<string> Lines(byte[] listing)
    {
        var text = Encoding.UTF8.GetString(listing);
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.EndsWith('\r') ? line[..^1] : line;
            if (trimmed.Length > 0)
                yield return trimmed;
        }
    }

    /// <summary>
    /// Parses <c>fact=value;fact=value; name</c>: facts are case-insensitive, the name is everything after the
    /// first space (it may hold spaces and semicolons). Null for a line without a name.
    /// </summary>
    public static MlsdEntry? ParseMlsd(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || space == line.Length - 1)
            return null;
        var name = line[(space + 1)..];
        string type = "";
        long? size = null;
        foreach (var fact in line[..space].Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = fact.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                continue;
            var key = fact[..eq].ToLowerInvariant();
            var value = fact[(eq + 1)..];
            if (key == "type")
                type = value.ToLowerInvariant();
            else if (key == "size" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                size = n;
        }
        return new MlsdEntry(name, type, size);
    }

    /// <summary>
    /// The file name of an NLST line: some servers prefix the folder (<c>./name</c>, <c>dir/name</c>), so the
    /// part after the last slash counts. Null for <c>.</c>, <c>..</c> and empty lines.
    /// </summary>
    public static string? ParseNlst(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var slash = line.LastIndexOf('/');
        var name = slash >= 0 ? line[(slash + 1)..] : line;
        return name is "" or "." or ".." ? null : name;
    }

    /// <summary>The port of an EPSV reply's <c>(|||port|)</c> (RFC 2428 §3); null when absent.</summary>
    public static int? ParseEpsvPort(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.IndexOf(')', open + 1);
        if (open < 0 || close < open + 5)
            return null;
        var inner = text[(open + 1)..close];
        var d = inner[0];
        var parts = inner.Split(d);
        // "|||port|" splits into "", "", "", "port", ""
        return parts.Length == 5 && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port : null;
    }

    /// <summary>The port of a PASV reply's <c>h1,h2,h3,h4,p1,p2</c>; null when absent. The address is ignored: the
    /// data connection goes to the control connection's peer (a server behind NAT often names a private one).</summary>
    public static int? ParsePasvPort(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var numbers = new List<int>();
        var current = -1;
        foreach (var c in text + " ")
        {
            if (char.IsAsciiDigit(c))
            {
                current = (current < 0 ? 0 : current * 10) + (c - '0');
                if (current > 255)
                {
                    current = -1;
                    numbers.Clear();
                }
                continue;
            }
            if (current >= 0)
            {
                numbers.Add(current);
                current = -1;
                if (c != ',' && numbers.Count < 6)
                    numbers.Clear();
                else if (numbers.Count == 6)
                    return numbers[4] * 256 + numbers[5] is var port and > 0 ? port : null;
            }
            else if (c != ',' || numbers.Count == 0)
            {
                numbers.Clear();
            }
        }
        return null;
    }
}
