using System.Globalization;
using System.Text;
using Duplicity.Archive.Naming;
using Duplicity.Sessions;

namespace Duplicity.Samples.Output;

/// <summary>Renders <see cref="BackupStatistics"/> exactly as duplicity prints its statistics block.</summary>
internal static class BackupStatisticsText
{
    private static readonly (long Bytes, string Unit)[] Units =
        [(1L << 40, "TB"), (1L << 30, "GB"), (1L << 20, "MB"), (1L << 10, "KB")];

    /// <summary>The whole block, header and footer included, each line ending in a newline.</summary>
    public static string Format(BackupStatistics s, TimeZoneInfo zone)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        const string header = "--------------[ Backup Statistics ]--------------";
        sb.Append(header).Append('\n');
        double start = Seconds(s.StartTime), end = Seconds(s.EndTime);
        sb.Append(c, $"StartTime {start:F2} ({DuplicityTime.Pretty(s.StartTime.ToUnixTimeSeconds(), zone)})\n");
        sb.Append(c, $"EndTime {end:F2} ({DuplicityTime.Pretty(s.EndTime.ToUnixTimeSeconds(), zone)})\n");
        double elapsed = end - start;
        sb.Append(c, $"ElapsedTime {elapsed:F2} ({Duration(elapsed)})\n");
        sb.Append(c, $"SourceFiles {s.SourceFiles}\n");
        sb.Append(c, $"SourceFileSize {s.SourceFileSize} ({Bytes(s.SourceFileSize)})\n");
        sb.Append(c, $"NewFiles {s.NewFiles}\n");
        sb.Append(c, $"NewFileSize {s.NewFileSize} ({Bytes(s.NewFileSize)})\n");
        sb.Append(c, $"DeletedFiles {s.DeletedFiles}\n");
        sb.Append(c, $"ChangedFiles {s.ChangedFiles}\n");
        sb.Append(c, $"ChangedFileSize {s.ChangedFileSize} ({Bytes(s.ChangedFileSize)})\n");
        sb.Append(c, $"ChangedDeltaSize {s.ChangedDeltaSize} ({Bytes(s.ChangedDeltaSize)})\n");
        sb.Append(c, $"DeltaEntries {s.DeltaEntries}\n");
        sb.Append(c, $"RawDeltaSize {s.RawDeltaSize} ({Bytes(s.RawDeltaSize)})\n");
        sb.Append(c, $"TotalDestinationSizeChange {s.TotalDestinationSizeChange} ({Bytes(s.TotalDestinationSizeChange)})\n");
        sb.Append(c, $"Errors {s.Errors}\n");
        sb.Append('-', header.Length).Append('\n');
        return sb.ToString();
    }

    // duplicity prints times as fractional seconds since the epoch, to the hundredth.
    private static double Seconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>A byte count with three significant figures, e.g. <c>203 KB</c>, <c>4.00 KB</c>, <c>561 bytes</c>.</summary>
    public static string Bytes(long count)
    {
        var c = CultureInfo.InvariantCulture;
        string sign = count < 0 ? "-" : "";
        long abs = Math.Abs(count);
        foreach (var (unitBytes, unit) in Units)
        {
            if (abs < unitBytes) continue;
            double value = (double)abs / unitBytes;
            string digits = value >= 100 ? value.ToString("F0", c) : value >= 10 ? value.ToString("F1", c) : value.ToString("F2", c);
            return $"{sign}{digits} {unit}";
        }
        return abs == 1 ? sign + "1 byte" : $"{sign}{abs} bytes";
    }

    /// <summary>A duration such as <c>1 hour 2 minutes 3.50 seconds</c>.</summary>
    public static string Duration(double seconds)
    {
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        double hours = Math.Floor(seconds / 3600);
        seconds -= hours * 3600;
        if (hours > 1) parts.Add(string.Create(c, $"{hours:F0} hours"));
        else if (hours == 1) parts.Add("1 hour");
        double minutes = Math.Floor(seconds / 60);
        seconds -= minutes * 60;
        if (minutes > 1) parts.Add(string.Create(c, $"{minutes:F0} minutes"));
        else if (minutes == 1) parts.Add("1 minute");
        if (seconds == 1) parts.Add("1 second");
        else if (parts.Count == 0 || seconds > 1) parts.Add(string.Create(c, $"{seconds:F2} seconds"));
        return string.Join(" ", parts);
    }
}
