using Duplicity.Samples;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>
/// Options that only tune a backend this version does not have (IMAP, B2, MediaFire, boto 2, ...) are
/// accepted with a warning, as duplicity accepts them with the same command line; options that
/// change the archive stay refused with code 33.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class BackendTuningOptionTests
{
    private static readonly string[] TuningOptions =
    [
        "--imap-mailbox", "INBOX", "--mf-purge", "--s3-use-new-style", "--s3-european-buckets",
        "--cf-backend", "pyrax", "--rsync-options", "-v", "--idr-fakeroot", "/x", "--b2-hide-files",
    ];

    [Test]
    public async Task TuningOptionsOfOtherBackendsWarnAndTheBackupRunsAsDuplicitysDoes()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 50_000);

        var output = new StringWriter();
        int code = await ConsoleApp.RunAsync(["full", "--no-encryption", .. TuningOptions, "--archive-dir", tmp.Sub("cache"), source, "file://" + tmp.Sub("ours")], output, output);
        Assert.That(code, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Contain("Option --imap-mailbox only tunes the IMAP backend"));
        Assert.That(output.ToString(), Does.Contain("Option --mf-purge only tunes the MediaFire backend"));

        var theirs = await DuplicityCli.RunAsync(tmp.Sub("dupcache"), ["full", "--no-encryption", .. TuningOptions, source, "file://" + tmp.Sub("theirs")]);
        Assert.That(theirs.ExitCode, Is.EqualTo(0), "duplicity accepts the same command line: " + theirs.StandardError);

        var restored = tmp.Sub("restored");
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache2"), "restore", "--no-encryption", "file://" + tmp.Sub("ours"), restored)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    // Old-form names carry local time: both tools run in their own process with TZ=UTC.
    private static readonly Dictionary<string, string?> Utc = new() { ["PASSPHRASE"] = null, ["TZ"] = "UTC" };

    private static string[] Line(string command, string[] options, string from, string to) => [command, .. options, from, to];

    [TestCase("--short-filenames")]
    [TestCase("--old-filenames")]
    [TestCase("--old-filenames", "--time-separator", "_")]
    public async Task DeprecatedNameFormsAreWrittenAsDuplicityWritesThem(params string[] nameOptions)
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 50_000);
        string[] common = ["--no-encryption", "--current-time", "1700000000", .. nameOptions];

        var ours = await Support.Faults.ChildConsole.RunAsync(null, Utc, ["full", .. common, "--archive-dir", tmp.Sub("cache"), source, "file://" + tmp.Sub("ours")]);
        Assert.That(ours.ExitCode, Is.EqualTo(0), ours.StandardOutput + ours.StandardError);
        Assert.That(ours.StandardOutput + ours.StandardError, Does.Contain("is pending deprecation"), "duplicity's notice");
        var theirs = await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("dupcache"), Utc, Line("full", common, source, "file://" + tmp.Sub("theirs")));
        Assert.That(theirs.ExitCode, Is.EqualTo(0), theirs.StandardError);

        static string[] Names(string folder) => Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        Assert.That(Names(tmp.Sub("ours")), Is.EqualTo(Names(tmp.Sub("theirs"))), "the same names for the same set");

        var restored = await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("dupcache2"), Utc, Line("restore", common, "file://" + tmp.Sub("ours"), tmp.Sub("restored")));
        Assert.That(restored.ExitCode, Is.EqualTo(0), restored.StandardError);
        Assert.That(TreeSnapshot.Describe(tmp.Sub("restored")), Is.EqualTo(TreeSnapshot.Describe(source)));
    }
}
