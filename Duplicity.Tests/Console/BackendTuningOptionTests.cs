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

    [Test]
    public async Task AnOptionThatChangesTheArchiveIsStillRefused()
    {
        using var tmp = new TempFolder();
        Directory.CreateDirectory(tmp.Sub("src"));
        var output = new StringWriter();
        int code = await ConsoleApp.RunAsync(["full", "--no-encryption", "--short-filenames", "--archive-dir", tmp.Sub("cache"), tmp.Sub("src"), "file://" + tmp.Sub("ours")], output, output);
        Assert.That(code, Is.EqualTo(33), output.ToString());
        Assert.That(Directory.Exists(tmp.Sub("ours")) && Directory.EnumerateFileSystemEntries(tmp.Sub("ours")).Any(), Is.False, "nothing stored");
    }
}
