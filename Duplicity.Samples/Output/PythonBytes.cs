using System.Text;

namespace Duplicity.Samples.Output;

/// <summary>
/// How duplicity prints a file name it holds as bytes: Python's <c>repr</c> of the bytes,
/// <c>b'name'</c> (double quotes when the name has a <c>'</c> and no <c>"</c>), with
/// non-printable bytes as <c>\xNN</c>.
/// </summary>
internal static class PythonBytes
{
    public static string Repr(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        char quote = bytes.Contains((byte)'\'') && !bytes.Contains((byte)'"') ? '"' : '\'';
        var s = new StringBuilder(bytes.Length + 3).Append('b').Append(quote);
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)'\\': s.Append(@"\\"); break;
                case (byte)'\t': s.Append(@"\t"); break;
                case (byte)'\n': s.Append(@"\n"); break;
                case (byte)'\r': s.Append(@"\r"); break;
                default:
                    if (b == quote) s.Append('\\').Append(quote);
                    else if (b is >= 0x20 and < 0x7f) s.Append((char)b);
                    else s.Append($"\\x{b:x2}");
                    break;
            }
        }
        return s.Append(quote).ToString();
    }
}
