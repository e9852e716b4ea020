using System.Globalization;
using System.Text.RegularExpressions;

namespace Duplicity.Archive.Naming;

public static partial class DuplicityTime
{
    private const string BadTimeExplanation =
        "The acceptible time strings are intervals (like \"3D64s\"), w3-datetime\n" +
        "strings, like \"2002-04-26T04:22:01-07:00\" (strings like\n" +
        "\"2002-04-26T04:22:01\" are also acceptable - duplicity will use the\n" +
        "current time zone), or ordinary dates like 2/4/1997 or 2001-04-23\n" +
        "(various combinations are acceptable, but the month always precedes\n" +
        "the day).";

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex("^([0-9]+)([smhDWMY])")]
    private static partial Regex IntervalPattern();

    [GeneratedRegex("^(?<year>[0-9]{4})[-/](?<month>[0-9]{1,2})[-/](?<day>[0-9]{1,2})$")]
    private static partial Regex YearFirstDatePattern();

    [GeneratedRegex("^(?<month>[0-9]{1,2})[-/](?<day>[0-9]{1,2})[-/](?<year>[0-9]{4})$")]
    private static partial Regex MonthFirstDatePattern();

    [GeneratedRegex("^(?<year>[0-9]{4})(?<month>[0-9]{2})(?<day>[0-9]{2})Z$")]
    private static partial Regex CompactDatePattern();

    /// <summary>
    /// Parses a time given by a user (<c>--time</c>, <c>remove-older-than</c>, ...), trying in order:
    /// <c>now</c>; an integer (epoch seconds); a w3 datetime (<c>2002-04-26T04:22:01-07:00</c>,
    /// <c>...Z</c>, <c>20020426T042201Z</c>, or without zone = local standard time); an interval
    /// (<c>1h30m</c>, units <c>s m h D W M Y</c>) meaning now minus it; a date at local (standard
    /// time) midnight: <c>YYYY-MM-DD</c>, <c>YYYY/MM/DD</c>, <c>MM/DD/YYYY</c>, <c>MM-DD-YYYY</c>,
    /// <c>YYYYMMDDZ</c>.
    /// </summary>
    /// <param name="s">The string as typed.</param>
    /// <param name="now">The current time (for <c>now</c> and intervals).</param>
    /// <param name="localZone">The local zone; only its standard offset is used, as duplicity ignores DST here.</param>
    /// <param name="timeSeparator">duplicity's <c>--time-separator</c> (default <c>:</c>).</param>
    /// <returns>Epoch seconds.</returns>
    /// <exception cref="ArgumentException"><c>Bad time string "s"</c> with duplicity's explanation.</exception>
    public static long ParseUserTime(string s, DateTimeOffset now, TimeZoneInfo localZone, char timeSeparator = ':')
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(localZone);
        long current = now.ToUnixTimeSeconds();
        if (s == "now") return current;

        if (IntegerPattern().IsMatch(s))
        {
            if (PythonInt.TryParse(s, out long integer)) return integer;
            throw BadTime(s);
        }

        // duplicity treats a result of 0 as "no match" here, as it tests the value's truth.
        string standardZone = ZoneDesignator((long)Math.Floor(localZone.BaseUtcOffset.TotalMinutes), timeSeparator);
        long? t = StringToTime(s, timeSeparator);
        if (t is null or 0) t = StringToTime(s + standardZone, timeSeparator);
        if (t is not null and not 0) return t.Value;

        if (TryParseInterval(s, out long interval)) return current - interval;

        Match m = YearFirstDatePattern().Match(s);
        if (!m.Success) m = MonthFirstDatePattern().Match(s);
        if (!m.Success) m = CompactDatePattern().Match(s);
        if (!m.Success) throw BadTime(s);
        var c = CultureInfo.InvariantCulture;
        string midnight = string.Create(c,
            $"{m.Groups["year"].Value}-{int.Parse(m.Groups["month"].Value, c):00}-{int.Parse(m.Groups["day"].Value, c):00}T00{timeSeparator}00{timeSeparator}00{standardZone}");
        t = StringToTime(midnight, timeSeparator);
        if (t is not null and not 0) return t.Value;
        throw BadTime(s);
    }

    /// <summary>duplicity's <c>intstringtoseconds</c>: one or more <c>&lt;digits&gt;&lt;unit&gt;</c>.</summary>
    internal static bool TryParseInterval(string s, out long seconds)
    {
        seconds = 0;
        if (s.Length < 2) return false;
        long total = 0;
        string rest = s;
        while (rest.Length > 0)
        {
            Match m = IntervalPattern().Match(rest);
            if (!m.Success) return false;
            if (!PythonInt.TryParse(m.Groups[1].Value, out long count)) return false;
            long unit = m.Groups[2].Value[0] switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'D' => 86400,
                'W' => 7 * 86400,
                'M' => 30 * 86400,
                _ => 365 * 86400,
            };
            try
            {
                total = checked(total + count * unit);
            }
            catch (OverflowException)
            {
                return false;
            }
            rest = rest[m.Length..];
        }
        seconds = total;
        return true;
    }

    private static ArgumentException BadTime(string s) => new($"Bad time string \"{s}\"\n\n{BadTimeExplanation}");
}
