using System.Diagnostics;
using System.Globalization;
using Duplicity.Sessions;

namespace Duplicity.Samples.Output;

/// <summary>
/// <c>--progress</c>: bytes done, elapsed time, rate and (when the total is known) a bar, percentage and
/// time left, in duplicity's layout. Redrawn in place on a terminal, else one plain line per interval.
/// </summary>
internal sealed class ProgressDisplay(ConsoleLoggerFactory output, ProgressOptions options) : IProgress<TransferProgress>, IProgress<BackupEvent>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private TimeSpan _lastShown = TimeSpan.MinValue;
    private TransferProgress _last;

    // A backup's events: only its progress is drawn (its entry changes reach the console as log lines).
    public void Report(BackupEvent value)
    {
        if (value is BackupProgressed p) Report(p.Progress);
    }

    public void Report(TransferProgress value)
    {
        lock (_gate)
        {
            _last = value;
            var now = _clock.Elapsed;
            // The first report is shown at once; a terminal redraws at most twice a second.
            var interval = options.Live ? TimeSpan.FromMilliseconds(500) : options.Interval;
            if (_lastShown != TimeSpan.MinValue && now - _lastShown < interval) return;
            _lastShown = now;
            Show(value, now, final: false);
        }
    }

    /// <summary>Prints the final state once the transfer has ended.</summary>
    public void Complete()
    {
        lock (_gate) Show(_last, _clock.Elapsed, final: true);
    }

    private void Show(TransferProgress p, TimeSpan elapsed, bool final)
    {
        var (line, extra) = Format(p, elapsed, final);
        output.WriteProgress(line, extra, options.Live, final);
    }

    /// <summary>The human line and the machine-log extra field (<c>bytes elapsed percent eta speed stalled</c>).</summary>
    internal static (string Line, string Extra) Format(TransferProgress p, TimeSpan elapsed, bool final)
    {
        double seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        double speed = p.BytesProcessed / seconds;
        bool known = p.BytesTotal > 0;
        int percent = final ? 100 : known ? (int)Math.Min(100, p.BytesProcessed * 100 / p.BytesTotal) : 0;
        double eta = final ? 0 : known && speed > 0 ? Math.Max(0, p.BytesTotal - p.BytesProcessed) / speed : 0;
        var line = new System.Text.StringBuilder();
        line.Append(Amount(p.BytesProcessed)).Append(' ').Append(Elapsed(elapsed)).Append(" [").Append(Amount(speed)).Append("/s]");
        if (known || final)
        {
            int dots = (int)(0.4 * percent);
            line.Append(" [").Append('=', dots).Append('>').Append(' ', 40 - dots).Append("] ").Append(percent).Append("% ETA ")
                .Append(known || final ? Remaining(eta) : "?");
        }
        line.Append(' ').Append(p.FilesProcessed).Append(p.FilesProcessed == 1 ? " file" : " files");
        var extra = string.Create(CultureInfo.InvariantCulture, $"{p.BytesProcessed} {(long)elapsed.TotalSeconds} {percent} {(long)eta} {(long)speed} 0");
        return (line.ToString(), extra);
    }

    private static string Amount(double bytes)
    {
        double amount = bytes / 1024.0;
        string scale = "KB";
        if (amount > 1000) { amount /= 1024; scale = "MB"; }
        if (amount > 1000) { amount /= 1024; scale = "GB"; }
        return amount.ToString("0.0", CultureInfo.InvariantCulture) + scale;
    }

    private static string Elapsed(TimeSpan t) =>
        (t.Days > 0 ? $"{t.Days}d," : "") + $"{t.Hours:00}:{t.Minutes:00}:{t.Seconds:00}";

    // duplicity's coarse "time left" wording.
    internal static string Remaining(double secs)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, Math.Min(secs, TimeSpan.MaxValue.TotalSeconds / 2)));
        int h = t.Hours, m = t.Minutes, s = t.Seconds;
        if (t.Days > 0) return $"{t.Days}d" + (h > 0 ? $" {h}h" : "") + (m > 0 ? $" {m}min" : "");
        if (h > 0) return $"{h}h" + (m > 0 ? $" {m}min" : "");
        if (m > 5) return $"{m}min";
        if (m > 0) return $"{m}min" + (s >= 30 ? " 30sec" : "");
        if (s > 45) return "< 1min";
        if (s > 30) return "< 45sec";
        if (s > 15) return "< 30sec";
        return $"{s}sec";
    }
}
