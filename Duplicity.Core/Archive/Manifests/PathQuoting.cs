namespace Duplicity.Archive.Manifests;

/// <summary>
/// duplicity's quoting of paths in manifests: a byte string holding whitespace (space, tab, LF, VT,
/// FF, CR), a backslash or a quote character is written inside <c>"</c> with each such byte as
/// <c>\xNN</c>; anything else is written unchanged.
/// </summary>
public static class PathQuoting
{
    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>True for the bytes that force quoting and are escaped.</summary>
    public static bool IsSpecial(byte b) => b is (byte)' ' or (>= 0x09 and <= 0x0d) or (byte)'\\' or (byte)'"' or (byte)'\'';

    /// <summary>The quoted form of <paramref name="raw"/>.</summary>
    public static byte[] Quote(ReadOnlySpan<byte> raw)
    {
        int special = 0;
        foreach (byte b in raw)
            if (IsSpecial(b)) special++;
        if (special == 0) return raw.ToArray();
        var result = new byte[raw.Length + 3 * special + 2];
        int pos = 0;
        result[pos++] = (byte)'"';
        foreach (byte b in raw)
        {
            if (IsSpecial(b))
            {
                result[pos++] = (byte)'\\';
                result[pos++] = (byte)'x';
                result[pos++] = Hex[b >> 4];
                result[pos++] = Hex[b & 0xf];
            }
            else
            {
                result[pos++] = b;
            }
        }
        result[pos] = (byte)'"';
        return result;
    }

    /// <summary>
    /// The raw bytes of a token: unchanged unless it starts with <c>"</c>, in which case the outer
    /// quotes are dropped and every <c>\xNN</c> becomes its byte.
    /// </summary>
    /// <exception cref="ArchiveCorruptException">An empty token, an unbalanced quote or a bad escape.</exception>
    public static byte[] Unquote(ReadOnlySpan<byte> token)
    {
        if (token.IsEmpty) throw new ArchiveCorruptException("Empty quoted string in manifest.");
        if (token[0] != (byte)'"') return token.ToArray();
        if (token[^1] != (byte)'"') throw new ArchiveCorruptException("Unbalanced quotes in manifest path.");
        ReadOnlySpan<byte> body = token.Length >= 2 ? token[1..^1] : ReadOnlySpan<byte>.Empty;
        var result = new byte[body.Length];
        int length = 0;
        for (int i = 0; i < body.Length; i++)
        {
            if (body[i] != (byte)'\\')
            {
                result[length++] = body[i];
                continue;
            }
            if (i + 3 >= body.Length || body[i + 1] != (byte)'x')
                throw new ArchiveCorruptException("Bad escape in manifest path.");
            int hi = HexValue(body[i + 2]), lo = HexValue(body[i + 3]);
            if (hi < 0 || lo < 0) throw new ArchiveCorruptException("Bad escape in manifest path.");
            result[length++] = (byte)(hi << 4 | lo);
            i += 3;
        }
        return result.AsSpan(0, length).ToArray();
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
