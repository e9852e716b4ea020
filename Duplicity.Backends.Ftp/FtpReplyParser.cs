using System.Globalization;

namespace Duplicity.Backends.Ftp;

/// <summary>
/// Assembles replies from control-connection lines: <c>ddd text</c> is a whole reply; <c>ddd-text</c> opens a
/// multi-line reply that runs to the first line starting with the same code and a space (RFC 959 §4.2).
/// Lines in between are text, whatever they start with.
/// </summary>
internal sealed class FtpReplyParser
{
    private readonly List<string> _lines = [];
    private int _openCode = -1;

    /// <summary>Whether a multi-line reply has started and not ended.</summary>
    public bool InProgress => _openCode >= 0;

    /// <summary>Adds one line (without its CR LF); returns the reply it completes, or null when more lines are needed.</summary>
    /// <exception cref="FormatException">The line is not a reply line (a code of three digits, then a space, a hyphen or nothing).</exception>
    public FtpReply? Add(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (_openCode >= 0)
        {
            if (TryCode(line, out var code) && code == _openCode && (line.Length == 3 || line[3] == ' '))
            {
                _lines.Add(line.Length > 4 ? line[4..] : "");
                return Complete(code);
            }
            _lines.Add(line);
            return null;
        }
        if (!TryCode(line, out var first) || (line.Length > 3 && line[3] is not (' ' or '-')))
            throw new FormatException($"Not an FTP reply line: '{Shorten(line)}'");
        _lines.Add(line.Length > 4 ? line[4..] : "");
        if (line.Length > 3 && line[3] == '-')
        {
            _openCode = first;
            return null;
        }
        return Complete(first);
    }

    private FtpReply Complete(int code)
    {
        var reply = new FtpReply(code, _lines.ToArray());
        _lines.Clear();
        _openCode = -1;
        return reply;
    }

    private static bool TryCode(string line, out int code)
    {
        code = 0;
        return line.Length >= 3 && line[0] is >= '1' and <= '5' && char.IsAsciiDigit(line[1]) && char.IsAsciiDigit(line[2]) &&
               int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out code);
    }

    private static string Shorten(string line) => line.Length <= 80 ? line : line[..80] + "...";
}
