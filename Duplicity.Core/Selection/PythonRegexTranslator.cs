using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Duplicity.Selection;

/// <summary>
/// Rewrites a Python 3 regular expression (as duplicity's --include-regexp/--exclude-regexp compile
/// it) into a .NET one with the same meaning on path strings. Handled differences: <c>(?P&lt;n&gt;)</c>,
/// <c>(?P=n)</c> and named conditionals (named groups become numbered so numbering follows Python),
/// <c>\Z</c> (.NET <c>\z</c>), <c>\U</c>, octal escapes, <c>{,n}</c>, <c>\s</c> (Python also counts
/// U+001C..U+001F), a literal <c>[</c> inside a class (.NET would read class subtraction), <c>.</c>
/// matching one code point, and escapes Python rejects but .NET would accept. Constructs .NET cannot
/// express (possessive quantifiers, <c>\N{name}</c>, flags a/L) are refused.
/// </summary>
internal static class PythonRegexTranslator
{
    private const string SpaceExtra = @"\x1C-\x1F";
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public static Regex Compile(string pattern, RegexOptions extra = RegexOptions.None)
    {
        string translated = Translate(pattern);
        try
        {
            return new Regex(translated, RegexOptions.CultureInvariant | extra);
        }
        catch (ArgumentException e)
        {
            throw Error(pattern, e.Message, e);
        }
    }

    public static string Translate(string pattern)
    {
        var state = new State(pattern);
        state.Run();
        return state.Output.ToString();
    }

    private static DuplicityException Error(string pattern, string why, Exception? inner = null) =>
        new(DuplicityErrorCode.Unexpected, $"Error compiling regular expression {pattern}: {why}", inner);

    private sealed class State(string pattern)
    {
        public readonly StringBuilder Output = new(pattern.Length * 2);
        private readonly Dictionary<string, int> _groupNumbers = new(StringComparer.Ordinal);
        private int _groupCount;
        private int _pos;

        private bool AtEnd => _pos >= pattern.Length;
        private char Peek(int ahead = 0) => _pos + ahead < pattern.Length ? pattern[_pos + ahead] : '\0';

        public void Run()
        {
            while (!AtEnd)
            {
                char c = pattern[_pos++];
                switch (c)
                {
                    case '\\': Escape(inClass: false); break;
                    case '[': Class(); break;
                    case '(': Group(); break;
                    case '{': Brace(); break;
                    case '.': Output.Append(@"(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|(?<![\uD800-\uDBFF]).)"); break;
                    case '*' or '+' or '?':
                        Output.Append(c);
                        CheckPossessive();
                        break;
                    default:
                        // A quantifier after an astral character repeats the whole character in Python.
                        if (char.IsHighSurrogate(c) && char.IsLowSurrogate(Peek())) Output.Append("(?:").Append(c).Append(pattern[_pos++]).Append(')');
                        else Output.Append(c);
                        break;
                }
            }
        }

        private void CheckPossessive()
        {
            if (Peek() == '+') throw Error(pattern, "possessive quantifiers are not supported");
        }

        private void Brace()
        {
            // Python: "{m}", "{m,}", "{,n}", "{m,n}", "{,}" repeat; anything else is a literal '{'.
            int p = _pos;
            string lo = Digits(ref p);
            bool comma = p < pattern.Length && pattern[p] == ',';
            string hi = "";
            if (comma)
            {
                p++;
                hi = Digits(ref p);
            }
            if ((!comma && lo.Length == 0) || p >= pattern.Length || pattern[p] != '}')
            {
                Output.Append(@"\{");
                return;
            }
            _pos = p + 1;
            Output.Append('{').Append(lo.Length == 0 ? "0" : lo);
            if (comma) Output.Append(',').Append(hi);
            Output.Append('}');
            CheckPossessive();
        }

        private string Digits(ref int p)
        {
            int start = p;
            while (p < pattern.Length && char.IsAsciiDigit(pattern[p])) p++;
            return pattern[start..p];
        }

        private void Group()
        {
            if (Peek() != '?')
            {
                _groupCount++;
                Output.Append('(');
                return;
            }
            _pos++;
            char k = Peek();
            if (k == 'P')
            {
                _pos++;
                if (Peek() == '<')
                {
                    _pos++;
                    string name = ReadUntil('>');
                    _groupNumbers[name] = ++_groupCount;
                    Output.Append('(');
                    return;
                }
                if (Peek() == '=')
                {
                    _pos++;
                    string name = ReadUntil(')');
                    Output.Append(@"\k<").Append(GroupNumber(name)).Append('>');
                    return;
                }
                throw Error(pattern, "unknown extension ?P" + Peek());
            }
            switch (k)
            {
                case ':' or '=' or '!' or '>':
                    _pos++;
                    Output.Append("(?").Append(k);
                    return;
                case '<' when Peek(1) is '=' or '!':
                    Output.Append("(?<").Append(Peek(1));
                    _pos += 2;
                    return;
                case '#':
                    ReadUntil(')');
                    return;
                case '(':
                    _pos++;
                    string condition = ReadUntil(')');
                    Output.Append("(?(").Append(condition.All(char.IsAsciiDigit) ? condition : GroupNumber(condition)).Append(')');
                    return;
            }
            Flags();
        }

        private void Flags()
        {
            var on = new StringBuilder();
            var off = new StringBuilder();
            bool negative = false;
            while (!AtEnd)
            {
                char f = pattern[_pos++];
                if (f == ')' || f == ':')
                {
                    if (on.Length == 0 && off.Length == 0)
                    {
                        // Only "u" (already the default for text patterns).
                        if (f == ':') Output.Append("(?:");
                        return;
                    }
                    Output.Append("(?").Append(on);
                    if (off.Length > 0) Output.Append('-').Append(off);
                    Output.Append(f);
                    return;
                }
                switch (f)
                {
                    case '-': negative = true; break;
                    case 'u': break;
                    case 'i' or 'm' or 's' or 'x': (negative ? off : on).Append(f); break;
                    case 'a' or 'L': throw Error(pattern, $"the flag '{f}' is not supported");
                    default: throw Error(pattern, "unknown extension ?" + f);
                }
            }
            throw Error(pattern, "missing ), unterminated subpattern");
        }

        private string GroupNumber(string name) =>
            _groupNumbers.TryGetValue(name, out int n)
                ? n.ToString(CultureInfo.InvariantCulture)
                : throw Error(pattern, "unknown group name '" + name + "'");

        private string ReadUntil(char end)
        {
            int close = pattern.IndexOf(end, _pos);
            if (close < 0) throw Error(pattern, $"missing {end}");
            string s = pattern[_pos..close];
            _pos = close + 1;
            return s;
        }

        private void Class()
        {
            Output.Append('[');
            if (Peek() == '^')
            {
                Output.Append('^');
                _pos++;
            }
            bool first = true;
            while (true)
            {
                if (AtEnd) throw Error(pattern, "unterminated character set");
                char c = pattern[_pos++];
                if (c == ']' && !first)
                {
                    Output.Append(']');
                    return;
                }
                first = false;
                switch (c)
                {
                    case '\\': Escape(inClass: true); break;
                    case '[' or ']': Output.Append('\\').Append(c); break;
                    default: Output.Append(c); break;
                }
            }
        }

        private void Escape(bool inClass)
        {
            if (AtEnd) throw Error(pattern, "bad escape (end of pattern)");
            char c = pattern[_pos++];
            switch (c)
            {
                case 'd' or 'D' or 'w' or 'W' or 'a' or 'f' or 'n' or 'r' or 't' or 'v':
                    Output.Append('\\').Append(c);
                    return;
                case 'b':
                    Output.Append(inClass ? @"\x08" : @"\b");
                    return;
                case 'A' or 'B' when !inClass:
                    Output.Append('\\').Append(c);
                    return;
                case 'Z' when !inClass:
                    Output.Append(@"\z");
                    return;
                case 's':
                    Output.Append(inClass ? @"\s" + SpaceExtra : @"[\s" + SpaceExtra + "]");
                    return;
                case 'S' when !inClass:
                    Output.Append(@"[^\s" + SpaceExtra + "]");
                    return;
                case 'S':
                    Output.Append(@"\S");
                    return;
                case 'x':
                    Literal(Hex(2), inClass);
                    return;
                case 'u':
                    Literal(Hex(4), inClass);
                    return;
                case 'U':
                    int cp = Hex(8);
                    if (cp > 0x10FFFF) throw Error(pattern, "bad escape \\U");
                    Literal(cp, inClass);
                    return;
                case '0':
                    Literal(Octal(0, 2), inClass);
                    return;
            }
            if (c is >= '1' and <= '9')
            {
                // Three octal digits are a character; otherwise one or two digits are a back-reference.
                if (_pos + 1 < pattern.Length && c <= '7' && Peek() is >= '0' and <= '7' && Peek(1) is >= '0' and <= '7')
                {
                    int value = (c - '0') * 64 + (Peek() - '0') * 8 + (Peek(1) - '0');
                    _pos += 2;
                    if (value > 0xFF) throw Error(pattern, "octal escape value outside of range 0-0o377");
                    Literal(value, inClass);
                    return;
                }
                if (inClass) throw Error(pattern, "bad escape \\" + c);
                string digits = c.ToString();
                if (char.IsAsciiDigit(Peek())) digits += pattern[_pos++];
                if (int.Parse(digits, CultureInfo.InvariantCulture) > _groupCount) throw Error(pattern, "invalid group reference " + digits);
                Output.Append(@"\k<").Append(digits).Append('>');
                return;
            }
            if (char.IsAsciiLetter(c)) throw Error(pattern, "bad escape \\" + c);
            // Any other escaped character is itself (including a surrogate pair).
            if (char.IsHighSurrogate(c) && char.IsLowSurrogate(Peek())) Literal(char.ConvertToUtf32(c, pattern[_pos++]), inClass);
            else Literal(c, inClass);
        }

        private int Hex(int count)
        {
            if (_pos + count > pattern.Length ||
                !int.TryParse(pattern.AsSpan(_pos, count), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value) ||
                pattern.AsSpan(_pos, count).ContainsAnyExcept(HexDigits))
                throw Error(pattern, "incomplete escape");
            _pos += count;
            return value;
        }

        private int Octal(int value, int maxMore)
        {
            for (int k = 0; k < maxMore && Peek() is >= '0' and <= '7'; k++) value = value * 8 + (pattern[_pos++] - '0');
            return value;
        }

        private void Literal(int codePoint, bool inClass)
        {
            if (codePoint <= 0xFFFF)
            {
                Output.Append("\\u").Append(codePoint.ToString("X4", CultureInfo.InvariantCulture));
                return;
            }
            string s = char.ConvertFromUtf32(codePoint);
            if (inClass)
            {
                Output.Append("\\u").Append(((int)s[0]).ToString("X4", CultureInfo.InvariantCulture))
                    .Append("\\u").Append(((int)s[1]).ToString("X4", CultureInfo.InvariantCulture));
                return;
            }
            Output.Append("(?:\\u").Append(((int)s[0]).ToString("X4", CultureInfo.InvariantCulture))
                .Append("\\u").Append(((int)s[1]).ToString("X4", CultureInfo.InvariantCulture)).Append(')');
        }
    }
}
