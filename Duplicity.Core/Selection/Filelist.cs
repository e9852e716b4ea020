using System.Text;

namespace Duplicity.Selection;

/// <summary>Reading and splitting duplicity filelists (--include-filelist / --exclude-filelist).</summary>
internal static class Filelist
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a filelist as duplicity opens it: UTF-8 text with universal newlines.</summary>
    public static string Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DuplicityException(DuplicityErrorCode.CannotOpenFilelist, "Error opening file " + path, e);
        }
        return Decode(bytes, path);
    }

    public static string Decode(byte[] bytes, string name)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new DuplicityException(DuplicityErrorCode.Unexpected, $"The filelist {name} is not valid UTF-8.", e);
        }
        // Python's text mode turns \r\n and lone \r into \n.
        return text.Contains('\r') ? text.Replace("\r\n", "\n").Replace('\r', '\n') : text;
    }

    /// <summary>The (glob, include) pairs of a filelist, skipping blank and comment lines.</summary>
    public static IEnumerable<(string Glob, bool Include)> Lines(string text, bool includeByDefault, bool nullSeparator)
    {
        foreach (string raw in text.Split(nullSeparator ? '\0' : '\n'))
        {
            if (Sanitise(raw, includeByDefault) is { } line) yield return line;
        }
    }

    /// <summary>One line: stripped; null when blank or a comment; "+ "/"- " prefixes; one pair of quotes removed.</summary>
    public static (string Glob, bool Include)? Sanitise(string line, bool includeByDefault)
    {
        line = PathText.PythonStrip(line);
        if (line.Length == 0 || line[0] == '#') return null;
        bool include = includeByDefault;
        if (line.StartsWith("+ ", StringComparison.Ordinal))
        {
            include = true;
            line = line[2..];
        }
        else if (line.StartsWith("- ", StringComparison.Ordinal))
        {
            include = false;
            line = line[2..];
        }
        // A lone quote counts as both start and end, like Python's startswith/endswith.
        if (line.Length > 0 && (line[0] == '\'' || line[0] == '"') && line[^1] == line[0])
            line = line.Length >= 2 ? line[1..^1] : "";
        return line.Length == 0 ? null : (line, include);
    }
}
