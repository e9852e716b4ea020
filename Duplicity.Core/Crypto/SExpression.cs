using System.Text;

namespace Duplicity.Crypto;

/// <summary>
/// A libgcrypt S-expression (list or byte-string atom), read from the canonical form
/// (<c>(3:rsa(1:n...))</c>) or the advanced form GnuPG's extended key files use
/// (<c>(rsa (n #00C0...#) (e "...")...)</c>).
/// </summary>
internal sealed class SExpression
{
    private SExpression(byte[]? atom, List<SExpression>? items)
    {
        Atom = atom;
        Items = items;
    }

    public byte[]? Atom { get; }
    public List<SExpression>? Items { get; }
    public bool IsList => Items != null;

    /// <summary>The text of an atom (ASCII), or null.</summary>
    public string? Text => Atom == null ? null : Encoding.ASCII.GetString(Atom);

    /// <summary>The first element of a list when it is an atom: the list's name.</summary>
    public string? Name => Items is { Count: > 0 } && Items[0].Atom != null ? Items[0].Text : null;

    /// <summary>The sub-list named <paramref name="name"/>, or null.</summary>
    public SExpression? Find(string name) => Items?.FirstOrDefault(i => i.Name == name);

    /// <summary>The atom value of the (name value) sub-list, or null.</summary>
    public byte[]? Value(string name) => Find(name) is { Items.Count: >= 2 } l ? l.Items[1].Atom : null;

    /// <summary>Canonical encoding, as libgcrypt hashes and authenticates it.</summary>
    public void WriteCanonical(Stream output)
    {
        if (Atom != null)
        {
            output.Write(Encoding.ASCII.GetBytes(Atom.Length + ":"));
            output.Write(Atom);
            return;
        }
        output.WriteByte((byte)'(');
        foreach (var item in Items!) item.WriteCanonical(output);
        output.WriteByte((byte)')');
    }

    public byte[] ToCanonical()
    {
        using var ms = new MemoryStream();
        WriteCanonical(ms);
        return ms.ToArray();
    }

    public static SExpression List(List<SExpression> items) => new(null, items);

    /// <summary>Parses one expression from the start of <paramref name="data"/> (trailing bytes, e.g. padding, are ignored).</summary>
    public static SExpression Parse(ReadOnlySpan<byte> data)
    {
        var pos = 0;
        return ParseOne(data, ref pos);
    }

    private static SExpression ParseOne(ReadOnlySpan<byte> d, ref int pos)
    {
        SkipSpace(d, ref pos);
        if (pos >= d.Length) throw Bad("unexpected end");
        var c = d[pos];
        if (c == '(')
        {
            pos++;
            var items = new List<SExpression>();
            while (true)
            {
                SkipSpace(d, ref pos);
                if (pos >= d.Length) throw Bad("unclosed list");
                if (d[pos] == ')') { pos++; return new SExpression(null, items); }
                items.Add(ParseOne(d, ref pos));
            }
        }
        if (c is >= (byte)'0' and <= (byte)'9')
        {
            var start = pos;
            while (pos < d.Length && d[pos] is >= (byte)'0' and <= (byte)'9') pos++;
            if (pos < d.Length && d[pos] == ':')
            {
                var length = int.Parse(Encoding.ASCII.GetString(d[start..pos]), System.Globalization.CultureInfo.InvariantCulture);
                pos++;
                if (length < 0 || length > d.Length - pos) throw Bad("atom length out of range");
                var atom = d.Slice(pos, length).ToArray();
                pos += length;
                return new SExpression(atom, null);
            }
            pos = start;
        }
        if (c == '#')
        {
            var end = d[(pos + 1)..].IndexOf((byte)'#');
            if (end < 0) throw Bad("unclosed hex string");
            var hex = new StringBuilder();
            foreach (var b in d.Slice(pos + 1, end)) if (!char.IsWhiteSpace((char)b)) hex.Append((char)b);
            pos += end + 2;
            return new SExpression(Convert.FromHexString(hex.ToString()), null);
        }
        if (c == '"')
        {
            var sb = new List<byte>();
            pos++;
            while (pos < d.Length && d[pos] != '"')
            {
                if (d[pos] == '\\' && pos + 1 < d.Length) pos++;
                sb.Add(d[pos++]);
            }
            pos++;
            return new SExpression(sb.ToArray(), null);
        }
        if (c == '|')
        {
            var end = d[(pos + 1)..].IndexOf((byte)'|');
            if (end < 0) throw Bad("unclosed base64 string");
            var atom = Convert.FromBase64String(Encoding.ASCII.GetString(d.Slice(pos + 1, end)));
            pos += end + 2;
            return new SExpression(atom, null);
        }
        var tokenStart = pos;
        while (pos < d.Length && d[pos] is not ((byte)'(' or (byte)')' or (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'"' or (byte)'#')) pos++;
        if (pos == tokenStart) throw Bad("unexpected character");
        return new SExpression(d[tokenStart..pos].ToArray(), null);
    }

    private static void SkipSpace(ReadOnlySpan<byte> d, ref int pos)
    {
        while (pos < d.Length && d[pos] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') pos++;
    }

    private static DuplicityException Bad(string why) =>
        new(DuplicityErrorCode.GpgFailed, $"GPG error: malformed secret key file ({why})");
}
