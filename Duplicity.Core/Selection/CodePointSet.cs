using System.Globalization;
using System.Text;

namespace Duplicity.Selection;

/// <summary>
/// Writes .NET regex text for "one code point in (or not in) a set". Python matches code points
/// while .NET matches UTF-16 units, so a surrogate pair must count as one character and the low half
/// of a pair must never be taken alone. Lone surrogates (surrogate-escaped bytes) count as one each.
/// </summary>
internal static class CodePointSet
{
    private const string Pair = @"[\uD800-\uDBFF][\uDC00-\uDFFF]";
    private const string NotAfterHigh = @"(?<![\uD800-\uDBFF])";

    /// <summary>Appends an atom matching one code point that is (or with <paramref name="negated"/>, is not) in the ranges.</summary>
    public static void Append(StringBuilder sb, IReadOnlyList<(int Lo, int Hi)> ranges, bool negated)
    {
        var bmp = new List<(int, int)>();
        var astral = new List<(int, int)>();
        foreach (var (lo, hi) in ranges)
        {
            if (lo <= 0xFFFF) bmp.Add((lo, Math.Min(hi, 0xFFFF)));
            if (hi > 0xFFFF) astral.Add((Math.Max(lo, 0x10000), hi));
        }
        sb.Append("(?:");
        if (negated)
        {
            if (astral.Count > 0)
            {
                sb.Append("(?!");
                AppendAstral(sb, astral);
                sb.Append(')');
            }
            sb.Append(Pair).Append('|').Append(NotAfterHigh).Append("[^");
            AppendClassBody(sb, bmp);
            sb.Append(@"\uD800-\uDBFF]");
        }
        else
        {
            bool any = false;
            var units = WithoutHighSurrogates(bmp);
            if (units.Count > 0)
            {
                sb.Append(NotAfterHigh).Append('[');
                AppendClassBody(sb, units);
                sb.Append(']');
                any = true;
            }
            if (astral.Count > 0)
            {
                if (any) sb.Append('|');
                AppendAstral(sb, astral);
                any = true;
            }
            if (!any) sb.Append("(?!)");
        }
        sb.Append(')');
    }

    /// <summary>One code point other than <c>/</c> (the glob <c>?</c>).</summary>
    public static void AppendAnyButSlash(StringBuilder sb) => Append(sb, [('/', '/')], negated: true);

    /// <summary>Appends one literal code point as an escaped regex literal.</summary>
    public static void AppendLiteral(StringBuilder sb, int codePoint)
    {
        if (codePoint < 0x80 && (char.IsAsciiLetterOrDigit((char)codePoint) || codePoint == '_' || codePoint == '/'))
        {
            sb.Append((char)codePoint);
            return;
        }
        if (codePoint <= 0xFFFF)
        {
            AppendUnit(sb, codePoint);
            return;
        }
        string s = char.ConvertFromUtf32(codePoint);
        AppendUnit(sb, s[0]);
        AppendUnit(sb, s[1]);
    }

    private static List<(int, int)> WithoutHighSurrogates(List<(int Lo, int Hi)> bmp)
    {
        var result = new List<(int, int)>();
        foreach (var (lo, hi) in bmp)
        {
            if (hi < 0xD800 || lo > 0xDBFF)
            {
                result.Add((lo, hi));
                continue;
            }
            if (lo < 0xD800) result.Add((lo, 0xD7FF));
            if (hi > 0xDBFF) result.Add((0xDC00, hi));
        }
        return result;
    }

    private static void AppendClassBody(StringBuilder sb, List<(int Lo, int Hi)> ranges)
    {
        foreach (var (lo, hi) in ranges)
        {
            AppendUnit(sb, lo);
            if (hi != lo)
            {
                sb.Append('-');
                AppendUnit(sb, hi);
            }
        }
    }

    // Each astral range becomes alternatives of high-surrogate / low-surrogate-range pairs.
    private static void AppendAstral(StringBuilder sb, List<(int Lo, int Hi)> ranges)
    {
        sb.Append("(?:");
        bool first = true;
        foreach (var (lo, hi) in ranges)
        {
            int start = lo;
            while (start <= hi)
            {
                int high = 0xD800 + ((start - 0x10000) >> 10);
                int blockEnd = 0x10000 + ((high - 0xD800 + 1) << 10) - 1;
                int end = Math.Min(hi, blockEnd);
                if (!first) sb.Append('|');
                first = false;
                AppendUnit(sb, high);
                sb.Append('[');
                AppendUnit(sb, 0xDC00 + ((start - 0x10000) & 0x3FF));
                sb.Append('-');
                AppendUnit(sb, 0xDC00 + ((end - 0x10000) & 0x3FF));
                sb.Append(']');
                start = end + 1;
            }
        }
        sb.Append(')');
    }

    private static void AppendUnit(StringBuilder sb, int unit) =>
        sb.Append("\\u").Append(unit.ToString("X4", CultureInfo.InvariantCulture));

    /// <summary>The code points of a string, lone surrogates each counting as one (as in Python).</summary>
    public static List<int> CodePoints(string s)
    {
        var result = new List<int>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                result.Add(char.ConvertToUtf32(c, s[i + 1]));
                i++;
            }
            else
            {
                result.Add(c);
            }
        }
        return result;
    }
}
