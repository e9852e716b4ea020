using Duplicity.Repository;
using Duplicity.Backends;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>
/// Texts only the console prints: duplicity's "Fatal Error" wording of selection errors (the SDK
/// throws a typed error with the pattern and base directory) and replicate's opening notice (the
/// SDK does not log it).
/// </summary>
[Category("Unit")]
public class ConsoleOwnedTextTests
{
    private const string ReplicateNotice =
        "\nWARNING: Replicate is only minimally functional at this time\n" +
        "         See https://gitlab.com/duplicity/duplicity/-/issues/98\n" +
        "         for further details.  Please consider using rsync,\n" +
        "         rclone, or other copy utilities to make a replication.\n";

    [Test]
    public async Task AGlobThatCannotMatchPrintsDuplicitysFatalError()
    {
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        Directory.CreateDirectory(src);
        var run = await ConsoleRun.RunAsync("full", "--no-encryption", "--archive-dir", tmp.Sub("cache"), "--exclude", "/elsewhere", src, "file://" + tmp.Sub("remote"));
        Assert.That(run.Code, Is.EqualTo(14));
        Assert.That(run.Err, Is.EqualTo(
            "Fatal Error: The file specification\n    /elsewhere\ncannot match any files in the base directory\n    " + src +
            "\nUseful file specifications begin with the base directory or some\npattern (such as '**') which matches the base directory.\n"));
    }

    [Test]
    public async Task AGlobWithConsecutiveSlashesPrintsDuplicitysFatalError()
    {
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        Directory.CreateDirectory(src);
        var run = await ConsoleRun.RunAsync("full", "--no-encryption", "--archive-dir", tmp.Sub("cache"), "--exclude", src + "//a/**/b", src, "file://" + tmp.Sub("remote"));
        Assert.That(run.Code, Is.EqualTo(15));
        Assert.That(run.Err, Is.EqualTo($"Fatal Error while processing expression\nConsecutive '/'s found in globbing string {src}//a/**\n"));
    }

    [Test]
    public async Task ReplicatePrintsDuplicitysNoticeFirst()
    {
        using var tmp = new TempFolder();
        Directory.CreateDirectory(tmp.Sub("from"));
        Directory.CreateDirectory(tmp.Sub("to"));
        var run = await ConsoleRun.RunAsync("replicate", "--no-encryption", "file://" + tmp.Sub("from"), "file://" + tmp.Sub("to"));
        Assert.That(run.Code, Is.EqualTo(0), run.Err);
        Assert.That(run.Out, Is.EqualTo(ReplicateNotice + "\nNo old backup sets found.\n"));
    }

    [Test]
    public async Task TheSdkDoesNotLogReplicatesNotice()
    {
        using var tmp = new TempFolder();
        var logs = new RecordingLoggerFactory();
        await using var repository = await BackupRepository.OpenAsync(new InMemoryBackend("from"), new RepositoryOptions { ArchiveDirectory = tmp.Path }, logs);
        await new ReplicateSession(repository, new InMemoryBackend("to")).RunAsync();
        Assert.That(logs.All, Has.Count.EqualTo(1).And.None.Contains("minimally functional"));
    }
}
