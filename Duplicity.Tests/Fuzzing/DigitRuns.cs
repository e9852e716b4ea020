using System.Text;

namespace Duplicity.Tests.Fuzzing;

/// <summary>Numbers written as decimal text (manifest volume and block numbers, pax lengths, ports) pushed to extremes.</summary>
internal static class DigitRuns
{
    private static readonly string[] Extremes =
        ["0", "-1", "1", "00", "2147483647", "2147483648", "-2147483648", "4294967296", "9223372036854775807",
         "9223372036854775808", "-9223372036854775809", "99999999999999999999999999", "1_0", "+5", " 7 "];

    /// <summary>Replaces one run of ASCII digits (or, when there is none, inserts) with an extreme value.</summary>
    public static byte[] Replace(byte[] data, Random random)
    {
        var runs = new List<(int Start, int Length)>();
        for (int i = 0; i < data.Length;)
        {
            if (data[i] is >= (byte)'0' and <= (byte)'9')
            {
                int start = i;
                while (i < data.Length && data[i] is >= (byte)'0' and <= (byte)'9') i++;
                runs.Add((start, i - start));
            }
            else
            {
                i++;
            }
        }
        byte[] value = Encoding.ASCII.GetBytes(Extremes[random.Next(Extremes.Length)]);
        if (runs.Count == 0) return [.. value, .. data];
        var (s, l) = runs[random.Next(runs.Count)];
        return [.. data.AsSpan(0, s), .. value, .. data.AsSpan(s + l)];
    }
}
