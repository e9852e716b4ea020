namespace Duplicity.Archive.Naming;

/// <summary>
/// Parses integers the way Python's <c>int(str)</c> does for the ASCII cases duplicity meets:
/// surrounding whitespace, an optional sign and single underscores between digits are accepted.
/// </summary>
internal static class PythonInt
{
    public static bool TryParse(ReadOnlySpan<char> s, out long value, int radix = 10)
    {
        value = 0;
        s = s.Trim(" \t\n\r\f\v");
        if (s.IsEmpty) return false;
        bool negative = false;
        if (s[0] == '+' || s[0] == '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s.IsEmpty || s[0] == '_' || s[^1] == '_') return false;
        long result = 0;
        bool lastUnderscore = false;
        foreach (char c in s)
        {
            if (c == '_')
            {
                if (lastUnderscore) return false;
                lastUnderscore = true;
                continue;
            }
            lastUnderscore = false;
            int digit = DigitValue(c);
            if (digit < 0 || digit >= radix) return false;
            try
            {
                result = checked(result * radix + digit);
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        value = negative ? -result : result;
        return true;
    }

    private static int DigitValue(char c)
    {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'z') return c - 'a' + 10;
        if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
        return -1;
    }
}
