using System.Text;

namespace Duplicity.Samples.Output;

/// <summary>
/// How duplicity quotes a path in a machine-log record: Python's <c>unicode-escape</c> of the
/// decoded name in single quotes, with <c>'</c> written as <c>\x27</c>.
/// </summary>
internal static class PythonEscape
{
    public static string Quote(string text)
    {
        var s = new StringBuilder(text.Length + 2).Append('\'');
        foreach (var rune in text.EnumerateRunes())
        {
            int c = rune.Value;
            switch (c)
            {
                case '\\': s.Append(@"\\"); break;
                case '\t': s.Append(@"\t"); break;
                case '\n': s.Append(@"\n"); break;
                case '\r': s.Append(@"\r"); break;
                case '\'': s.Append(@"\x27"); break;
                default:
                    if (c is >= 0x20 and < 0x7f) s.Append((char)c);
                    else if (c < 0x100) s.Append($"\\x{c:x2}");
                    else if (c < 0x10000) s.Append($"\\u{c:x4}");
                    else s.Append($"\\U{c:x8}");
                    break;
            }
        }
        return s.Append('\'').ToString();
    }
}
