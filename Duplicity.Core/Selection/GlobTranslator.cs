using System.Text;

namespace Duplicity.Selection;

/// <summary>
/// Translates a duplicity shell glob into .NET regex text with the meaning duplicity's Python gives
/// it: <c>**</c> any text, <c>*</c> any text without <c>/</c>, <c>?</c> one character but <c>/</c>,
/// <c>[...]</c> a class (<c>!</c> or <c>^</c> negates, a leading <c>]</c> is literal, an unclosed
/// <c>[</c> is literal, backslashes are literal); everything else literal, no escape character.
/// </summary>
internal static class GlobTranslator
{
    public static string ToRegex(string glob)
    {
        var sb = new StringBuilder(glob.Length * 2);
        Append(sb, glob);
        return sb.ToString();
    }

    public static void Append(StringBuilder sb, string glob)
    {
        var cps = CodePointSet.CodePoints(glob);
        int n = cps.Count;
        int i = 0;
        while (i < n)
        {
            int c = cps[i++];
            if (c == '*' && i < n && cps[i] == '*')
            {
                sb.Append(@"[\s\S]*");
                i++;
            }
            else if (c == '*')
            {
                sb.Append("[^/]*");
            }
            else if (c == '?')
            {
                CodePointSet.AppendAnyButSlash(sb);
            }
            else if (c == '[')
            {
                int j = i;
                if (j < n && cps[j] is '!' or '^') j++;
                if (j < n && cps[j] == ']') j++;
                while (j < n && cps[j] != ']') j++;
                if (j >= n)
                {
                    CodePointSet.AppendLiteral(sb, '[');
                    continue;
                }
                AppendClass(sb, cps.GetRange(i, j - i), glob);
                i = j + 1;
            }
            else
            {
                CodePointSet.AppendLiteral(sb, c);
            }
        }
    }

    // The class body reaches Python's regex parser with backslashes doubled, so every character is a
    // literal and only '-' between two characters forms a range (Python's own class grammar).
    private static void AppendClass(StringBuilder sb, List<int> body, string glob)
    {
        bool negated = body[0] is '!' or '^';
        int i = negated ? 1 : 0;
        var ranges = new List<(int, int)>();
        int start = i;
        while (i < body.Count)
        {
            int lo = body[i++];
            if (lo == ']' && i - 1 != start)
            {
                break; // cannot happen: the glob scanner stops at the first ']' after the start
            }
            if (i < body.Count && body[i] == '-')
            {
                if (i + 1 >= body.Count)
                {
                    // "a-" at the end: both literal
                    ranges.Add((lo, lo));
                    ranges.Add(('-', '-'));
                    i++;
                    break;
                }
                int hi = body[i + 1];
                i += 2;
                if (hi < lo)
                {
                    throw new DuplicityException(DuplicityErrorCode.Unexpected,
                        $"bad character range {Show(lo)}-{Show(hi)} in glob {glob}");
                }
                ranges.Add((lo, hi));
            }
            else
            {
                ranges.Add((lo, lo));
            }
        }
        CodePointSet.Append(sb, ranges, negated);
    }

    private static string Show(int codePoint) => codePoint <= 0xFFFF ? ((char)codePoint).ToString() : char.ConvertFromUtf32(codePoint);
}
