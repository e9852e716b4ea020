using System.Globalization;
using System.Text;

namespace Duplicity.Archive.Naming;

/// <summary>
/// duplicity's time strings: the <c>YYYYMMDDTHHMMSSZ</c> form used in file names, the old
/// <c>--old-filenames</c> form, base 36 for short names, the asctime-style "pretty" form of its
/// output, and the strings a user may pass to <c>--time</c> and similar options.
/// </summary>
public static partial class DuplicityTime
{
    private const int LongFormLength = 16;

    /// <summary>Formats epoch seconds as <c>YYYYMMDDTHHMMSSZ</c> (UTC), e.g. <c>20200913T122820Z</c>.</summary>
    public static string Format(long epochSeconds)
    {
        var t = DateTimeOffset.FromUnixTimeSeconds(epochSeconds).UtcDateTime;
        return t.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Formats epoch seconds in the old (<c>--old-filenames</c>) form: local wall time in
    /// <paramref name="zone"/> followed by its offset, e.g. <c>2020-09-13T14:28:20+02:00</c>, or
    /// <c>Z</c> when the offset is zero.
    /// </summary>
    public static string FormatOld(long epochSeconds, TimeZoneInfo zone, char timeSeparator = ':')
    {
        ArgumentNullException.ThrowIfNull(zone);
        var utc = DateTimeOffset.FromUnixTimeSeconds(epochSeconds);
        var local = TimeZoneInfo.ConvertTime(utc, zone);
        string wall = local.ToString($"yyyy-MM-dd'T'HH'{timeSeparator}'mm'{timeSeparator}'ss", CultureInfo.InvariantCulture);
        return wall + ZoneDesignator((long)local.Offset.TotalMinutes, timeSeparator);
    }

    /// <summary>
    /// Parses a time field of a file name as duplicity does (separator <c>:</c>); see
    /// <see cref="TryParse(string, char, out long)"/>.
    /// </summary>
    public static bool TryParse(string s, out long seconds) => TryParse(s, ':', out seconds);

    /// <summary>
    /// Parses a time field of a file name: a bare integer (epoch seconds), the 16-character
    /// <c>YYYYMMDDTHHMMSSZ</c> form, or the old <c>YYYY-MM-DDTHH:MM:SS</c> + <c>Z</c> / <c>±HH:MM</c>
    /// form with <paramref name="timeSeparator"/> in place of <c>:</c>. duplicity's range checks apply
    /// (1900 &lt; year &lt; 2100, month 1-12, day 1-31, hour 0-23, minute 0-59, second 0-61).
    /// </summary>
    public static bool TryParse(string s, char timeSeparator, out long seconds)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (IsAllDigits(s)) return long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out seconds);
        long? t = StringToTime(s, timeSeparator);
        seconds = t ?? 0;
        return t.HasValue;
    }

    /// <summary>Writes a non-negative number in base 36 (digits <c>0-9a-z</c>, no padding).</summary>
    public static string FormatBase36(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        Span<char> buffer = stackalloc char[16];
        int pos = buffer.Length;
        do
        {
            int digit = (int)(value % 36);
            buffer[--pos] = (char)(digit < 10 ? '0' + digit : 'a' + digit - 10);
            value /= 36;
        }
        while (value > 0);
        return new string(buffer[pos..]);
    }

    /// <summary>Reads a base-36 number (lower-case digits only); false when empty, invalid or too large.</summary>
    public static bool TryParseBase36(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        if (s.IsEmpty) return false;
        long total = 0;
        foreach (char c in s)
        {
            int digit;
            if (c >= '0' && c <= '9') digit = c - '0';
            else if (c >= 'a' && c <= 'z') digit = c - 'a' + 10;
            else return false;
            if (total > (long.MaxValue - digit) / 36) return false;
            total = total * 36 + digit;
        }
        value = total;
        return true;
    }

    /// <summary>Reads a base-36 number (lower-case digits only).</summary>
    /// <exception cref="FormatException">Empty, invalid digit or overflow.</exception>
    public static long ParseBase36(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (!TryParseBase36(s, out long value)) throw new FormatException($"\"{s}\" is not a base-36 number.");
        return value;
    }

    /// <summary>
    /// C <c>asctime</c> of the time in <paramref name="zone"/>: <c>Sun Sep 13 12:28:20 2020</c>, the
    /// day of month padded with a space (<c>Sun Sep  6 12:28:20 2020</c>).
    /// </summary>
    public static string Pretty(long seconds, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var t = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(seconds), zone);
        var c = CultureInfo.InvariantCulture;
        return string.Create(c, $"{t.ToString("ddd MMM", c)} {t.Day,2} {t.ToString("HH:mm:ss yyyy", c)}");
    }

    /// <summary>As <see cref="Pretty(long, TimeZoneInfo)"/>, for a time of the public API (whole seconds).</summary>
    /// <param name="time">The time.</param>
    /// <param name="zone">The zone to show it in.</param>
    public static string Pretty(DateTimeOffset time, TimeZoneInfo zone) => Pretty(time.ToUnixTimeSeconds(), zone);

    /// <summary>As <see cref="Format(long)"/>, for a time of the public API (whole seconds).</summary>
    /// <param name="time">The time.</param>
    public static string Format(DateTimeOffset time) => Format(time.ToUnixTimeSeconds());

    /// <summary>
    /// duplicity's <c>stringtotime</c>: the 16-character UTC form or the old form with a zone
    /// designator; null when the string is not such a time.
    /// </summary>
    internal static long? StringToTime(string ts, char separator)
    {
        string head = ts.Length > 19 ? ts[..19] : ts;
        int t = head.IndexOf('T');
        if (t < 0 || head.IndexOf('T', t + 1) >= 0) return null;
        string date = head[..t], daytime = head[(t + 1)..];
        long year, month, day, hour, minute, second;
        if (ts.Length == LongFormLength)
        {
            if (!PythonInt.TryParse(Slice(date, 0, 4), out year) || !PythonInt.TryParse(Slice(date, 4, 6), out month)
                || !PythonInt.TryParse(Slice(date, 6, 8), out day) || !PythonInt.TryParse(Slice(daytime, 0, 2), out hour)
                || !PythonInt.TryParse(Slice(daytime, 2, 4), out minute) || !PythonInt.TryParse(Slice(daytime, 4, 6), out second))
                return null;
        }
        else
        {
            string[] d = date.Split('-');
            string[] h = daytime.Split(separator);
            if (d.Length != 3 || h.Length != 3) return null;
            if (!PythonInt.TryParse(d[0], out year) || !PythonInt.TryParse(d[1], out month) || !PythonInt.TryParse(d[2], out day)
                || !PythonInt.TryParse(h[0], out hour) || !PythonInt.TryParse(h[1], out minute) || !PythonInt.TryParse(h[2], out second))
                return null;
        }
        if (!(1900 < year && year < 2100) || month < 1 || month > 12 || day < 1 || day > 31
            || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 61)
            return null;

        // Like calendar.timegm: days past the month's length simply run into the next month.
        long days = (long)(new DateTime((int)year, (int)month, 1, 0, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalDays + day - 1;
        long utc = days * 86400 + hour * 3600 + minute * 60 + second;
        if (ts.Length == LongFormLength) return utc;
        // Python's ts[19:] is empty for a shorter string (no zone: not a time).
        long? zone = ZoneDesignatorToSeconds(Slice(ts, 19, ts.Length), separator);
        return zone is null ? null : utc + zone.Value;
    }

    /// <summary>duplicity's <c>tzdtoseconds</c>: how far UTC is ahead of the designated zone.</summary>
    private static long? ZoneDesignatorToSeconds(string tzd, char separator)
    {
        if (tzd == "Z") return 0;
        if (tzd.Length != 6 || (tzd[0] != '-' && tzd[0] != '+') || tzd[3] != separator) return null;
        if (!PythonInt.TryParse(tzd.AsSpan(0, 3), out long hours) || !PythonInt.TryParse(tzd.AsSpan(4), out long minutes)) return null;
        // The minutes are added unsigned, exactly as duplicity does.
        return -60 * (60 * hours + minutes);
    }

    /// <summary>duplicity's <c>gettzd</c> for an offset east of UTC in minutes (floor division quirk kept).</summary>
    private static string ZoneDesignator(long offsetMinutes, char separator)
    {
        if (offsetMinutes == 0) return "Z";
        char sign = offsetMinutes > 0 ? '+' : '-';
        long hours = Math.Abs(Math.DivRem(offsetMinutes, 60L, out long rem) - (rem < 0 ? 1 : 0));
        long minutes = Math.Abs(rem < 0 ? rem + 60 : rem);
        var sb = new StringBuilder(6);
        sb.Append(sign).Append(hours.ToString("00", CultureInfo.InvariantCulture)).Append(separator)
          .Append(minutes.ToString("00", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static string Slice(string s, int start, int end)
    {
        start = Math.Min(start, s.Length);
        end = Math.Min(end, s.Length);
        return s[start..end];
    }

    private static bool IsAllDigits(string s)
    {
        if (s.Length == 0) return false;
        foreach (char c in s)
            if (c < '0' || c > '9') return false;
        return true;
    }
}
