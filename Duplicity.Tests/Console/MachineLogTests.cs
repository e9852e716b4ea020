using Duplicity.Samples;
using Duplicity.Samples.Output;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary><c>--log-file</c> records, <c>--verbosity</c> and <c>--log-timestamp</c>, against the real duplicity.</summary>
[Category("Interop")]
[NonParallelizable]
public class MachineLogTests
{
    private static string CopyFixture(TempFolder tmp)
    {
        var source = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "fixtures", "plain", "remote");
        var remote = tmp.Sub("remote");
        Directory.CreateDirectory(remote);
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(remote, Path.GetFileName(f)));
        return "file://" + remote;
    }

    [TestCase("collection-status")]
    [TestCase("list-current-files")]
    [TestCase("list-current-files", "--time", "20200913T132820Z")]
    public async Task LogFileMatchesDuplicitysOnTheFixture(string command, params string[] extra)
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var url = CopyFixture(tmp);
        string[] args = [command, .. extra, "--name", "fixture", url];
        var theirs = await DuplicityCli.RunAsync(tmp.Sub("theirs"), [.. args, "--log-file", tmp.Sub("theirs.log")]);
        theirs.EnsureSuccess();
        var ours = await ConsoleRun.RunAsync([.. args, "--archive-dir", tmp.Sub("ours"), "--log-file", tmp.Sub("ours.log")]);
        Assert.That(ours.Code, Is.EqualTo(0), ours.Err);
        Assert.That(File.ReadAllText(tmp.Sub("ours.log")).Replace(Path.Combine(tmp.Sub("ours"), "fixture"), "<archive-dir>"),
            Is.EqualTo(File.ReadAllText(tmp.Sub("theirs.log")).Replace(Path.Combine(tmp.Sub("theirs"), "fixture"), "<archive-dir>")));
    }

    [Test]
    public async Task BackupAtInfoLogsNewChangedAndDeletedWithTheirCodes()
    {
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        Directory.CreateDirectory(src);
        File.WriteAllText(Path.Combine(src, "keep.txt"), "keep");
        File.WriteAllText(Path.Combine(src, "change.txt"), "one");
        File.WriteAllText(Path.Combine(src, "gone's.txt"), "bye");
        var url = "file://" + tmp.Sub("remote");
        string[] common = ["--no-encryption", "--archive-dir", tmp.Sub("cache")];
        var full = await ConsoleRun.RunAsync([.. common, "--current-time", "1700000000", "-v", "info", "--log-file", tmp.Sub("full.log"), src, url]);
        Assert.That(full.Code, Is.EqualTo(0), full.Err);
        Assert.That(full.Out, Does.Contain("A keep.txt"));
        var fullLog = File.ReadAllText(tmp.Sub("full.log"));
        Assert.That(fullLog, Does.Contain("INFO 4 'keep.txt'\n. A keep.txt\n\n"));
        Assert.That(fullLog, Does.Contain("INFO 4 'gone\\x27s.txt'\n. A gone's.txt\n\n"));
        Assert.That(fullLog, Does.Contain("NOTICE 1\n. --------------[ Backup Statistics ]--------------\n. StartTime "), "statistics are one NOTICE record");

        File.WriteAllText(Path.Combine(src, "change.txt"), "two, longer");
        File.SetLastWriteTimeUtc(Path.Combine(src, "change.txt"), DateTime.UtcNow.AddMinutes(5));
        File.Delete(Path.Combine(src, "gone's.txt"));
        var inc = await ConsoleRun.RunAsync([.. common, "--current-time", "1700003600", "-v", "5", "--log-file", tmp.Sub("inc.log"), src, url]);
        Assert.That(inc.Code, Is.EqualTo(0), inc.Err);
        var incLog = File.ReadAllText(tmp.Sub("inc.log"));
        Assert.That(incLog, Does.Contain("INFO 5 'change.txt'\n. M change.txt\n\n"));
        Assert.That(incLog, Does.Contain("INFO 6 'gone\\x27s.txt'\n. D gone's.txt\n\n"));
        Assert.That(incLog, Does.Not.Contain("'keep.txt'"), "unchanged files are not logged");

        // The default verbosity (notice) leaves the A/M/D lines out of both outputs.
        var quiet = await ConsoleRun.RunAsync([.. common, "--log-file", tmp.Sub("quiet.log"), "full", src, url]);
        Assert.That(quiet.Code, Is.EqualTo(0), quiet.Err);
        Assert.That(quiet.Out, Does.Not.Contain("A keep.txt"));
        Assert.That(File.ReadAllText(tmp.Sub("quiet.log")), Does.Not.Contain("INFO 4"));
    }

    [Test]
    public async Task FatalErrorsGoToStderrAndTheLogWithTheirExitCode()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var url = "file://" + tmp.Sub("remote");
        string[] args = ["full", "--no-encryption", tmp.Sub("missing"), url];
        var theirs = await DuplicityCli.RunAsync(tmp.Sub("theirs"), [.. args, "--log-file", tmp.Sub("theirs.log")]);
        var ours = await ConsoleRun.RunAsync([.. args, "--archive-dir", tmp.Sub("ours"), "--log-file", tmp.Sub("ours.log")]);
        Assert.That(ours.Code, Is.EqualTo(theirs.ExitCode).And.EqualTo(13));
        Assert.That(ours.Out, Does.Not.Contain("does not exist"), "errors go to stderr only");
        Assert.That(ours.Err, Does.Contain($"Backup source directory {tmp.Sub("missing")} does not exist."));
        string Last(string log) => log.TrimEnd('\n').Split("\n\n")[^1];
        Assert.That(Last(File.ReadAllText(tmp.Sub("ours.log"))), Does.StartWith("ERROR 13\n. "));
        Assert.That(Last(File.ReadAllText(tmp.Sub("theirs.log"))), Does.StartWith("ERROR 13\n. "));
    }

    [Test]
    public async Task LogFdWritesToAnInheritedDescriptorAndLogTimestampPrefixesConsoleLines()
    {
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        Directory.CreateDirectory(src);
        File.WriteAllText(Path.Combine(src, "a.txt"), "a");
        var url = "file://" + tmp.Sub("remote");
        // In-process, fd 1 is this test host's stdout: the record must not break anything and the
        // console lines carry duplicity's "date time,ms LEVEL" prefix.
        var run = await ConsoleRun.RunAsync("full", "--no-encryption", "--archive-dir", tmp.Sub("cache"), "--log-timestamp", "--log-fd", "1", src, url);
        Assert.That(run.Code, Is.EqualTo(0), run.Err);
        Assert.That(run.Out, Does.Match(@"(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} NOTICE Last full backup date: none$"));
    }

    [TestCase("0", 0)]
    [TestCase("e", 0)]
    [TestCase("warning", 2)]
    [TestCase("N", 3)]
    [TestCase("info", 5)]
    [TestCase("9", 9)]
    [TestCase("debug", 9)]
    public void VerbosityWordsMapToDuplicitysLevels(string value, int level) =>
        Assert.That(ConsoleSettings.ParseVerbosity(value), Is.EqualTo(level));

    [Test]
    public async Task BadVerbosityIsACommandLineError()
    {
        var run = await ConsoleRun.RunAsync("-v", "loud", "collection-status", "file:///nowhere");
        Assert.That(run.Code, Is.EqualTo(2));
    }

    [TestCase("plain.txt", "'plain.txt'")]
    [TestCase("it's", "'it\\x27s'")]
    [TestCase("ünï", "'\\xfcn\\xef'")]
    [TestCase("tab\there", "'tab\\there'")]
    [TestCase("back\\slash", "'back\\\\slash'")]
    [TestCase("日本", "'\\u65e5\\u672c'")]
    public void PathsAreQuotedAsPythonsUnicodeEscape(string path, string expected) =>
        Assert.That(PythonEscape.Quote(path), Is.EqualTo(expected));
}
