using System.Diagnostics;
using Duplicity.Samples;
using Duplicity.Samples.Output;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary><c>--progress</c> lines and Ctrl-C (exit 4), in-process and as a real process.</summary>
[Category("Interop")]
[NonParallelizable]
public class ProgressAndInterruptTests
{
    private static void WriteRandomFile(string path, int bytes, int seed)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        File.WriteAllBytes(path, data);
    }

    [Test]
    public async Task ProgressPrintsPlainLinesWithTheTotalWhenNotOnATerminal()
    {
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        Directory.CreateDirectory(src);
        WriteRandomFile(Path.Combine(src, "a.bin"), 300_000, 1);
        WriteRandomFile(Path.Combine(src, "b.bin"), 200_000, 2);
        var url = "file://" + tmp.Sub("remote");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await ConsoleApp.RunAsync(["full", "--progress", "--no-encryption", "--archive-dir", tmp.Sub("cache"), "--log-file", tmp.Sub("log"), src, url], stdout, stderr);
        Assert.That(code, Is.EqualTo(0), stderr.ToString());
        var lines = stdout.ToString().Split('\n');
        Assert.That(lines.Any(l => l.Contains('\r', StringComparison.Ordinal) || l.Contains('\x1b', StringComparison.Ordinal)), Is.False, "no terminal control codes when not on a terminal");
        // The first report is printed at once (0%), the last one when the backup has ended (100%, all bytes).
        var progress = lines.Where(l => l.Contains("% ETA")).ToList();
        Assert.That(progress, Has.Count.GreaterThanOrEqualTo(2), stdout.ToString());
        Assert.That(progress[^1], Does.StartWith("488.3KB ").And.Contain("] 100% ETA 0sec").And.Contain("3 files"));
        var log = File.ReadAllText(tmp.Sub("log"));
        Assert.That(log, Does.Contain("NOTICE 16 500000 "), "the final progress record carries the byte count");

        // Restore: no total known, so no bar or ETA until the end.
        stdout = new StringWriter();
        code = await ConsoleApp.RunAsync(["restore", "--progress", "--no-encryption", "--archive-dir", tmp.Sub("cache"), url, tmp.Sub("out")], stdout, stderr);
        Assert.That(code, Is.EqualTo(0), stderr.ToString());
        Assert.That(stdout.ToString(), Does.Contain("488.3KB ").And.Contain("] 100% ETA 0sec"));
        Assert.That(TreeSnapshot.Describe(tmp.Sub("out")), Is.EqualTo(TreeSnapshot.Describe(src)));
    }

    [Test]
    public void ProgressLineHasDuplicitysLayout()
    {
        var (line, extra) = ProgressDisplay.Format(new TransferProgress { BytesProcessed = 5 * 1024 * 1024, BytesTotal = 20 * 1024 * 1024, FilesProcessed = 7 },
            TimeSpan.FromSeconds(10), final: false);
        Assert.That(line, Is.EqualTo("5.0MB 00:00:10 [512.0KB/s] [==========>" + new string(' ', 30) + "] 25% ETA < 30sec 7 files"));
        Assert.That(extra, Is.EqualTo("5242880 10 25 30 524288 0"));
        var (unknown, _) = ProgressDisplay.Format(new TransferProgress { BytesProcessed = 2048, FilesProcessed = 1 }, TimeSpan.FromSeconds(2), final: false);
        Assert.That(unknown, Is.EqualTo("2.0KB 00:00:02 [1.0KB/s] 1 file"));
    }

    [TestCase(10, "10sec")]
    [TestCase(40, "< 45sec")]
    [TestCase(200, "3min")]
    [TestCase(215, "3min 30sec")]
    [TestCase(3 * 3600 + 120, "3h 2min")]
    [TestCase(2 * 86400 + 3600, "2d 1h")]
    public void TimeLeftUsesDuplicitysWording(double seconds, string expected) =>
        Assert.That(ProgressDisplay.Remaining(seconds), Is.EqualTo(expected));

    [Test]
    public async Task CancellingARunExitsWithFour()
    {
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        Directory.CreateDirectory(src);
        WriteRandomFile(Path.Combine(src, "a.bin"), 1000, 1);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var stderr = new StringWriter();
        int code = await ConsoleApp.RunAsync(["full", "--no-encryption", "--archive-dir", tmp.Sub("cache"), src, "file://" + tmp.Sub("remote")],
            new StringWriter(), stderr, cancelled.Token);
        Assert.That(code, Is.EqualTo(4));
        Assert.That(stderr.ToString(), Does.Contain("INT intercepted...exiting."));
    }

    [Test]
    public async Task CtrlCOnTheProcessExitsWithFour()
    {
        if (OperatingSystem.IsWindows()) Requirement.Missing("SIGINT is POSIX");
        var kill = ExternalTool.Require("kill");
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        Directory.CreateDirectory(src);
        for (int i = 0; i < 4; i++) WriteRandomFile(Path.Combine(src, $"big{i}.bin"), 32 << 20, i);
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "duplicity-net.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in new[] { dll, "full", "--progress", "--progress-rate", "60", "--no-encryption", "--archive-dir", tmp.Sub("cache"), src, "file://" + tmp.Sub("remote") })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        // The first progress line says the backup is under way; interrupt it there.
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync()) != null && !line.Contains("KB/s]") && !line.Contains("MB/s]")) { }
        Assert.That(line, Is.Not.Null, "the backup printed a progress line before ending");
        await ExternalTool.RunAsync(kill, ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.EqualTo(4), await stderrTask);
        Assert.That(await stderrTask, Does.Contain("INT intercepted...exiting."));
        Assert.That(Directory.Exists(tmp.Sub("remote")) ? Directory.GetFiles(tmp.Sub("remote"), "*.manifest*") : [], Is.Empty, "an interrupted backup writes no manifest");
    }
}
