using System.Globalization;

namespace Duplicity.IO;

/// <summary>
/// A process's start time as the kernel reports it (field 22 of <c>/proc/&lt;pid&gt;/stat</c>, clock
/// ticks since boot): with the pid it names one process even after the pid is reused.
/// </summary>
internal static class ProcessStartMarker
{
    private static readonly Lazy<long?> Own = new(() => Read(Environment.ProcessId));

    /// <summary>This process's start marker; null when /proc cannot tell.</summary>
    public static long? Current => Own.Value;

    /// <summary>The start marker of process <paramref name="pid"/>, or null when no such process runs.</summary>
    public static long? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may hold spaces or ')': fields resume after the last ')'.
        int close = text.LastIndexOf(')');
        if (close < 0) return null;
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so field 22 is fields[19].
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks) ? ticks : null;
    }
}
