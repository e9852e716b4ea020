using Duplicity.Archive.Naming;

namespace Duplicity.Tests.Archive;

[Category("Unit")]
public class DuplicityTimeTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1700000000);
    private static readonly TimeZoneInfo MinusFive = TimeZoneInfo.CreateCustomTimeZone("minus5", TimeSpan.FromHours(-5), "minus5", "minus5");

    [Test]
    public void FormatsAndParsesFileNameTimes()
    {
        Assert.That(DuplicityTime.Format(1600000100), Is.EqualTo("20200913T122820Z"));
        Assert.That(DuplicityTime.TryParse("20200913T122820Z", out long t), Is.True);
        Assert.That(t, Is.EqualTo(1600000100));
        Assert.That(DuplicityTime.TryParse("1600000100", out t) && t == 1600000100, Is.True, "bare integer");
    }

    [TestCase("18991231T000000Z")]
    [TestCase("19000101T000000Z")]
    [TestCase("21000101T000000Z")]
    [TestCase("20201301T000000Z")]
    [TestCase("20200001T000000Z")]
    [TestCase("20200132T000000Z")]
    [TestCase("20200913T242820Z")]
    [TestCase("20200913T126020Z")]
    [TestCase("20200913T122862Z")]
    [TestCase("2020O913T122820Z")]
    [TestCase("20200913X122820Z")]
    [TestCase("20200913T122820ZZ")]
    [TestCase("")]
    public void RejectsWhatDuplicityRejects(string s) => Assert.That(DuplicityTime.TryParse(s, out _), Is.False);

    [Test]
    public void AcceptsLeapSecondsAndOverflowingDaysLikeTimegm()
    {
        Assert.That(DuplicityTime.TryParse("20200913T122861Z", out long t) && t == 1600000141, Is.True);
        // 31 February runs into March as calendar.timegm does.
        Assert.That(DuplicityTime.TryParse("20210231T000000Z", out t), Is.True);
        Assert.That(t, Is.EqualTo(new DateTimeOffset(2021, 3, 3, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds()));
    }

    [Test]
    public void ParsesOldFormat()
    {
        Assert.That(DuplicityTime.TryParse("2020-09-13T14:28:20+02:00", out long t) && t == 1600000100, Is.True);
        Assert.That(DuplicityTime.TryParse("2020-09-13T12:28:20Z", out t) && t == 1600000100, Is.True);
        Assert.That(DuplicityTime.TryParse("2020-09-13T07:28:20-05:00", out t) && t == 1600000100, Is.True);
        Assert.That(DuplicityTime.TryParse("2020-09-13T12_28_20Z", '_', out t) && t == 1600000100, Is.True);
        Assert.That(DuplicityTime.TryParse("2020-09-13T12:28:20Z", '_', out _), Is.False);
        Assert.That(DuplicityTime.TryParse("2020-09-13T14:28:20+0200", out _), Is.False);
        Assert.That(DuplicityTime.FormatOld(1600000100, MinusFive), Is.EqualTo("2020-09-13T07:28:20-05:00"));
        Assert.That(DuplicityTime.FormatOld(1600000100, TimeZoneInfo.Utc, '_'), Is.EqualTo("2020-09-13T12_28_20Z"));
    }

    [Test]
    public void Base36()
    {
        Assert.That(DuplicityTime.FormatBase36(1600000100), Is.EqualTo("qgljz8"));
        Assert.That(DuplicityTime.FormatBase36(1600000200), Is.EqualTo("qglk20"));
        Assert.That(DuplicityTime.FormatBase36(0), Is.EqualTo("0"));
        Assert.That(DuplicityTime.ParseBase36("qgljz8"), Is.EqualTo(1600000100));
        Assert.That(DuplicityTime.ParseBase36("z"), Is.EqualTo(35));
        Assert.Throws<FormatException>(() => DuplicityTime.ParseBase36("QG"));
        Assert.Throws<FormatException>(() => DuplicityTime.ParseBase36(""));
    }

    [Test]
    public void PrettyIsAsctime()
    {
        Assert.That(DuplicityTime.Pretty(1600000100, TimeZoneInfo.Utc), Is.EqualTo("Sun Sep 13 12:28:20 2020"));
        Assert.That(DuplicityTime.Pretty(1600000100 - 7 * 86400, TimeZoneInfo.Utc), Is.EqualTo("Sun Sep  6 12:28:20 2020"));
        Assert.That(DuplicityTime.Pretty(1600000100, MinusFive), Is.EqualTo("Sun Sep 13 07:28:20 2020"));
    }

    [TestCase("2D", 1699827200)]
    [TestCase("1h30m", 1699994600)]
    [TestCase("2002/4/26", 1019779200)]
    [TestCase("now", 1700000000)]
    [TestCase("1600000100", 1600000100)]
    [TestCase("3W", 1700000000 - 3 * 604800)]
    [TestCase("1Y", 1700000000 - 31536000)]
    [TestCase("1M", 1700000000 - 2592000)]
    [TestCase("3D64s", 1700000000 - 3 * 86400 - 64)]
    [TestCase("2002-04-26T04:22:01-07:00", 1019820121)]
    [TestCase("2002-04-26T04:22:01Z", 1019794921)]
    [TestCase("20020426T042201Z", 1019794921)]
    [TestCase("2002-04-26T04:22:01", 1019794921)]
    [TestCase("2002-04-26", 1019779200)]
    [TestCase("04/26/2002", 1019779200)]
    [TestCase("4-26-2002", 1019779200)]
    [TestCase("2002/04-26", 1019779200)]
    [TestCase("20020426Z", 1019779200)]
    public void ParsesUserTimesInUtc(string s, long expected) =>
        Assert.That(DuplicityTime.ParseUserTime(s, Now, TimeZoneInfo.Utc), Is.EqualTo(expected));

    [Test]
    public void UserTimesWithoutZoneUseLocalStandardTime()
    {
        Assert.That(DuplicityTime.ParseUserTime("2002-04-26T04:22:01", Now, MinusFive), Is.EqualTo(1019794921 + 5 * 3600));
        Assert.That(DuplicityTime.ParseUserTime("2002-04-26", Now, MinusFive), Is.EqualTo(1019779200 + 5 * 3600));
        Assert.That(DuplicityTime.ParseUserTime("2002-04-26T04:22:01Z", Now, MinusFive), Is.EqualTo(1019794921));
    }

    [TestCase("bogus")]
    [TestCase("s")]
    [TestCase("")]
    [TestCase("1x")]
    [TestCase("2d")]
    [TestCase("2002-13-01")]
    [TestCase("1h 30m")]
    public void RejectsBadUserTimes(string s)
    {
        var e = Assert.Throws<ArgumentException>(() => DuplicityTime.ParseUserTime(s, Now, TimeZoneInfo.Utc));
        Assert.That(e!.Message, Does.StartWith($"Bad time string \"{s}\""));
    }

    [Category("Interop")]
    [Test]
    public void UserTimesAgreeWithDuplicity()
    {
        string[] inputs =
        [
            "2D", "1h30m", "2002/4/26", "1600000100", "3W", "1Y2M", "2002-04-26T04:22:01-07:00", "2002-04-26T04:22:01+05:30",
            "2002-04-26T04:22:01", "20020426T042201Z", "2002-04-26", "04/26/2002", "4-26-2002", "20020426Z", "1s", "10m",
            "2020-02-31", "19991231T235960Z",
        ];
        const string script = """
            import sys
            from duplicity import dup_time, config
            for line in sys.stdin.read().split("\n"):
                if line:
                    print(dup_time.genstrtotime(line, override_curtime=1700000000))
            """;
        foreach (string zone in new[] { "UTC", "America/New_York", "Asia/Kolkata" })
        {
            string[] expected = ArchiveFixture.RunPython(script, string.Join("\n", inputs), "TZ=" + zone).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
            for (int i = 0; i < inputs.Length; i++)
                Assert.That(DuplicityTime.ParseUserTime(inputs[i], Now, tz).ToString(), Is.EqualTo(expected[i]), $"{inputs[i]} in {zone}");
        }
    }
}
