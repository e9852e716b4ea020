using System.Buffers;
using System.Text;

namespace Duplicity.Selection;

/// <summary>
/// Turns raw path bytes into the text duplicity matches selection rules against: UTF-8 decoded with
/// Python's surrogateescape (each undecodable byte b becomes the lone surrogate U+DC00+b), so globs
/// such as <c>*</c> still match names that are not valid UTF-8.
/// </summary>
internal static class PathText
{
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (Ascii.IsValid(bytes)) return Encoding.ASCII.GetString(bytes);
        char[] buffer = ArrayPool<char>.Shared.Rent(bytes.Length * 2);
        try
        {
            int n = 0;
            while (!bytes.IsEmpty)
            {
                if (Rune.DecodeFromUtf8(bytes, out var rune, out int consumed) == OperationStatus.Done)
                {
                    n += rune.EncodeToUtf16(buffer.AsSpan(n));
                    bytes = bytes[consumed..];
                }
                else
                {
                    // Only the first byte is escaped: the rest of an invalid sequence may start a valid one.
                    buffer[n++] = (char)(0xDC00 + bytes[0]);
                    bytes = bytes[1..];
                }
            }
            return new string(buffer, 0, n);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Encodes text back to path bytes, turning escaped surrogates into their original bytes.</summary>
    public static byte[] Encode(string text)
    {
        var result = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is >= '\uDC80' and <= '\uDCFF')
            {
                result.Add((byte)(c - 0xDC00));
                continue;
            }
            Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                rune = new Rune(c, text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                throw new DuplicityException(DuplicityErrorCode.Unexpected, $"The path contains a lone surrogate U+{(int)c:X4} that cannot be encoded.");
            }
            else
            {
                rune = new Rune(c);
            }
            int len = rune.EncodeToUtf8(utf8);
            for (int k = 0; k < len; k++) result.Add(utf8[k]);
        }
        return result.ToArray();
    }

    /// <summary>
    /// duplicity's canonical source path: empty and <c>.</c> components dropped, a leading <c>/</c>
    /// kept, and <c>.</c> when nothing is left (<c>./src/</c> -> <c>src</c>).
    /// </summary>
    public static byte[] CanonicalRoot(ReadOnlySpan<byte> path)
    {
        var result = new List<byte>(path.Length);
        bool absolute = !path.IsEmpty && path[0] == (byte)'/';
        foreach (var range in path.Split((byte)'/'))
        {
            var part = path[range];
            if (part.IsEmpty || part.SequenceEqual("."u8)) continue;
            if (result.Count > 0) result.Add((byte)'/');
            result.AddRange(part);
        }
        if (absolute) result.Insert(0, (byte)'/');
        else if (result.Count == 0) result.Add((byte)'.');
        return result.ToArray();
    }

    /// <summary>Python's <c>str.isspace</c> (which, unlike .NET, counts U+001C..U+001F).</summary>
    public static bool IsPythonSpace(char c) => c is >= '\u001c' and <= '\u001f' || char.IsWhiteSpace(c);

    /// <summary>Python's <c>str.strip()</c>.</summary>
    public static string PythonStrip(string s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsPythonSpace(s[start])) start++;
        while (end > start && IsPythonSpace(s[end - 1])) end--;
        return s[start..end];
    }
}
