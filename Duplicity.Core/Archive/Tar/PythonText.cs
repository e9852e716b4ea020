using System.Buffers;
using System.Text;

namespace Duplicity.Archive.Tar;

/// <summary>
/// How Python sees a byte string decoded as UTF-8 with <c>surrogateescape</c>: one character per
/// valid code point plus one per invalid byte. Python's tarfile decides on pax records and fills
/// ustar fields from that view, so the header writer needs it to match byte for byte.
/// </summary>
internal static class PythonText
{
    /// <summary>Number of Python characters; <paramref name="ascii"/> and <paramref name="validUtf8"/> describe the bytes.</summary>
    public static int CountChars(ReadOnlySpan<byte> bytes, out bool ascii, out bool validUtf8)
    {
        int firstNonAscii = bytes.IndexOfAnyExceptInRange((byte)0, (byte)0x7f);
        if (firstNonAscii < 0)
        {
            ascii = true;
            validUtf8 = true;
            return bytes.Length;
        }
        ascii = false;
        validUtf8 = true;
        int count = firstNonAscii;
        var rest = bytes[firstNonAscii..];
        while (!rest.IsEmpty)
        {
            OperationStatus status = Rune.DecodeFromUtf8(rest, out _, out int consumed);
            if (status == OperationStatus.Done)
            {
                count++;
            }
            else
            {
                validUtf8 = false;
                count += consumed;
            }
            rest = rest[consumed..];
        }
        return count;
    }

    /// <summary>
    /// Fills <paramref name="field"/> as Python's <c>encode("ascii", "replace")</c> then truncation
    /// and NUL padding would: ASCII bytes kept, every other character (or invalid byte) as <c>?</c>.
    /// </summary>
    public static void WriteAsciiReplaced(ReadOnlySpan<byte> bytes, Span<byte> field)
    {
        int pos = 0;
        while (!bytes.IsEmpty && pos < field.Length)
        {
            byte b = bytes[0];
            if (b < 0x80)
            {
                field[pos++] = b;
                bytes = bytes[1..];
                continue;
            }
            OperationStatus status = Rune.DecodeFromUtf8(bytes, out _, out int consumed);
            int chars = status == OperationStatus.Done ? 1 : consumed;
            for (int i = 0; i < chars && pos < field.Length; i++) field[pos++] = (byte)'?';
            bytes = bytes[consumed..];
        }
        field[pos..].Clear();
    }
}
