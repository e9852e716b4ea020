using Duplicity.Files;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;
using System.Diagnostics;
using System.Text;

namespace Duplicity.Tests.Console;

/// <summary>
/// Options that change what is backed up or where it is restored (<c>--copy-links</c>, <c>--rename</c>,
/// <c>--exclude-filelist-stdin</c>), duplicity's testing options (<c>--skip-volume</c>, <c>--fail-on-volume</c>)
/// and the options that only print a notice, each run through our console and the real duplicity side by side.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class SourceAndRestoreOptionTests
{

    [Test]
    public async Task CopyLinksBacksUpLinkTargetsAsDuplicityDoes()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        Directory.CreateDirectory(Path.Combine(source, "d", "inner"));
        File.WriteAllText(Path.Combine(source, "target.txt"), "target\n");
        File.WriteAllText(Path.Combine(source, "d", "inner", "deep.txt"), "deep\n");
        Posix.Symlink("../target.txt"u8, Encoding.UTF8.GetBytes(Path.Combine(source, "d", "filelink")));
        Posix.Symlink("d"u8, Encoding.UTF8.GetBytes(Path.Combine(source, "dirlink")));
        Posix.Symlink("nowhere"u8, Encoding.UTF8.GetBytes(Path.Combine(source, "dangling")));

        var (code, output, _) = await ConsoleRun.RunAsync("full", "--no-encryption", "--copy-links", "--archive-dir", tmp.Sub("cache"), source, "file://" + tmp.Sub("ours"));
        Assert.That(code, Is.EqualTo(0), output);
        var theirs = await DuplicityCli.RunAsync(tmp.Sub("dupcache"), "full", "--no-encryption", "--copy-links", source, "file://" + tmp.Sub("theirs"));
        Assert.That(theirs.ExitCode, Is.EqualTo(0), theirs.StandardError);

        (await DuplicityCli.RunAsync(tmp.Sub("r1"), "restore", "--no-encryption", "file://" + tmp.Sub("ours"), tmp.Sub("fromOurs"))).EnsureSuccess();
        (await DuplicityCli.RunAsync(tmp.Sub("r2"), "restore", "--no-encryption", "file://" + tmp.Sub("theirs"), tmp.Sub("fromTheirs"))).EnsureSuccess();
        var ours = TreeSnapshot.Describe(tmp.Sub("fromOurs"));
        Assert.That(ours, Is.EqualTo(TreeSnapshot.Describe(tmp.Sub("fromTheirs"))));
        Assert.That(File.ReadAllText(Path.Combine(tmp.Sub("fromOurs"), "dirlink", "filelink")), Is.EqualTo("target\n"), "a link to a folder is backed up as the folder, links inside it as files");
        Assert.That(File.Exists(Path.Combine(tmp.Sub("fromOurs"), "dangling")) || Directory.Exists(Path.Combine(tmp.Sub("fromOurs"), "dangling")), Is.False);
    }

    [Test]
    public async Task RenameOnRestoreAsDuplicityDoes()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 80_000);
        var url = "file://" + tmp.Sub("remote");
        Assert.That((await ConsoleRun.RunAsync("full", "--no-encryption", "--archive-dir", tmp.Sub("cache"), source, url)).Code, Is.EqualTo(0));

        string[][] cases =
        [
            ["--rename", "sub", "moved", "--rename", "a.txt", "renamed.txt"],
            ["--rename", "sub/nested/", "flat", "--rename", "./sub", "other"],
            ["--file-to-restore", "sub", "--rename", "nested", "n2", "--rename", "sub/nested", "unused"],
        ];
        for (int i = 0; i < cases.Length; i++)
        {
            var ours = tmp.Sub($"ours{i}");
            var theirs = tmp.Sub($"theirs{i}");
            var (code, output, error) = await ConsoleRun.RunAsync(["restore", "--no-encryption", .. cases[i], "--archive-dir", tmp.Sub("cache"), url, ours]);
            var dup = await DuplicityCli.RunAsync(tmp.Sub("dupcache"), ["restore", "--no-encryption", .. cases[i], url, theirs]);
            Assert.That(code, Is.EqualTo(dup.ExitCode), $"{string.Join(' ', cases[i])}: {output}{error} / {dup.StandardError}");
            Assert.That(TreeSnapshot.Describe(ours), Is.EqualTo(TreeSnapshot.Describe(theirs)), string.Join(' ', cases[i]));
        }
        Assert.That(File.Exists(Path.Combine(tmp.Sub("ours0"), "moved", "nested", "deep.txt")), Is.True);
        Assert.That(File.Exists(Path.Combine(tmp.Sub("ours0"), "renamed.txt")), Is.True);
    }

    /// <summary>
    /// verify with --rename compares the archive's FROM with the local TO, so a folder restored with the same
    /// renames verifies clean. duplicity 0.8.22 documents --rename for every action but its verify does not
    /// apply it: it reports FROM missing and TO new, and fails (code 30, a TypeError) when a local FROM exists.
    /// This console differs on purpose there; where the renames name nothing, both agree.
    /// </summary>
    [Test]
    public async Task RenameOnVerifyComparesWithTheRenamedRestore()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 80_000);
        var url = "file://" + tmp.Sub("remote");
        string[] renames = ["--rename", "sub", "moved", "--rename", "a.txt", "renamed.txt"];
        Assert.That((await ConsoleRun.RunAsync("full", "--no-encryption", "--archive-dir", tmp.Sub("cache"), source, url)).Code, Is.EqualTo(0));
        var restored = tmp.Sub("renamed");
        Assert.That((await ConsoleRun.RunAsync(["restore", "--no-encryption", .. renames, "--archive-dir", tmp.Sub("cache"), url, restored])).Code, Is.EqualTo(0));

        var (code, output, error) = await ConsoleRun.RunAsync(["verify", "--compare-data", "--no-encryption", .. renames, "--archive-dir", tmp.Sub("cache"), url, restored]);
        Assert.That(code, Is.EqualTo(0), output + error);
        Assert.That(output + error, Does.Contain("0 differences found"));
        var dup = await DuplicityCli.RunAsync(tmp.Sub("dupcache"), ["verify", "--compare-data", "--no-encryption", .. renames, url, restored]);
        Assert.That(dup.ExitCode, Is.EqualTo(1), dup.StandardError);
        Assert.That(dup.StandardOutput, Does.Contain("Difference found: File sub is missing").And.Contain("Difference found: New file moved"),
            "duplicity 0.8.22 leaves the renames out of verify");

        // The source itself has the FROMs: ours reports them new and the TOs missing; duplicity stops on them.
        (code, output, error) = await ConsoleRun.RunAsync(["verify", "--compare-data", "--no-encryption", .. renames, "--archive-dir", tmp.Sub("cache"), url, source]);
        Assert.That(code, Is.EqualTo(1), output + error);
        Assert.That(output, Does.Contain("Difference found: New file sub/nested/deep.txt").And.Contain("Difference found: File moved/nested/deep.txt is missing")
            .And.Contain("Difference found: File renamed.txt is missing").And.Contain("Difference found: New file a.txt"));
        dup = await DuplicityCli.RunAsync(tmp.Sub("dupcache"), ["verify", "--compare-data", "--no-encryption", .. renames, url, source]);
        Assert.That(dup.ExitCode, Is.EqualTo(30), "duplicity 0.8.22 fails comparing a renamed local path: " + dup.StandardError);

        // Renames that name nothing change nothing, in both.
        string[] none = ["--rename", "nothing", "elsewhere"];
        (code, output, error) = await ConsoleRun.RunAsync(["verify", "--compare-data", "--no-encryption", .. none, "--archive-dir", tmp.Sub("cache"), url, source]);
        dup = await DuplicityCli.RunAsync(tmp.Sub("dupcache"), ["verify", "--compare-data", "--no-encryption", .. none, url, source]);
        Assert.That(code, Is.EqualTo(dup.ExitCode).And.EqualTo(0), output + error + " / " + dup.StandardOutput);

        // A change below a TO is found under its local path.
        var deep = Path.Combine(restored, "moved", "nested", "deep.txt");
        var mtime = File.GetLastWriteTimeUtc(deep);
        File.WriteAllText(deep, "DEEP\n");
        File.SetLastWriteTimeUtc(deep, mtime);
        (code, output, error) = await ConsoleRun.RunAsync(["verify", "--compare-data", "--no-encryption", .. renames, "--archive-dir", tmp.Sub("cache"), url, restored]);
        Assert.That(code, Is.EqualTo(1), output + error);
        Assert.That(output, Does.Contain("Difference found: Data for file moved/nested/deep.txt is different").And.Contain("1 difference found"));
    }

    [Test]
    public async Task TestingOptionsFailAsDuplicitysDo()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 2_500_000);
        string[] common = ["full", "--no-encryption", "--volsize", "1", "--num-retries", "1"];

        var (skip, skipOut, _) = await ConsoleRun.RunAsync([.. common, "--skip-volume", "1", "--archive-dir", tmp.Sub("c1"), source, "file://" + tmp.Sub("skip")]);
        var dupSkip = await DuplicityCli.RunAsync(tmp.Sub("d1"), [.. common, "--skip-volume", "1", source, "file://" + tmp.Sub("dupskip")]);
        Assert.That(skip, Is.EqualTo(dupSkip.ExitCode).And.EqualTo(44), skipOut);
        Assert.That(Directory.GetFiles(tmp.Sub("skip"), "*.vol1.*"), Is.Empty, "volume 1 was not stored");

        var (fail, failOut, _) = await ConsoleRun.RunAsync([.. common, "--fail-on-volume", "1", "--archive-dir", tmp.Sub("c2"), source, "file://" + tmp.Sub("fail")]);
        var dupFail = await DuplicityCli.RunAsync(tmp.Sub("d2"), [.. common, "--fail-on-volume", "1", source, "file://" + tmp.Sub("dupfail")]);
        Assert.That(fail, Is.EqualTo(dupFail.ExitCode).And.EqualTo(30), failOut);
        Assert.That(Directory.GetFiles(tmp.Sub("fail"), "*.vol1.*"), Has.Length.EqualTo(1), "volume 1 was stored before the stop");
        Assert.That(Directory.GetFiles(tmp.Sub("fail"), "*.manifest*"), Is.Empty, "the set was not committed");
    }

    [TestCase("--time-separator", "_", 0, "Warning: Option --time-separator is pending deprecation")]
    [TestCase("--time-separator", "-", 2, "Dash ('-') not valid for time-separator.")]
    [TestCase("--metadata-sync-mode", "full", 0, null)]
    [TestCase("--metadata-sync-mode", "fast", 2, "invalid choice")]
    [TestCase("--ignore-errors", null, 0, "Running in 'ignore errors' mode due to --ignore-errors; please re-consider if this was not intended")]
    [TestCase("--asynchronous-upload", null, 0, null)]
    [TestCase("--ssl-no-check-certificate", null, 0, null)]
    public async Task NoticeOptionsExitAndPrintAsDuplicitys(string option, string? value, int expectedCode, string? expectedText)
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 20_000);
        string[] words = value is null ? [option] : [option, value];
        var (code, output, error) = await ConsoleRun.RunAsync(["full", "--no-encryption", .. words, "--archive-dir", tmp.Sub("cache"), source, "file://" + tmp.Sub("ours")]);
        var dup = await DuplicityCli.RunAsync(tmp.Sub("dupcache"), ["full", "--no-encryption", .. words, source, "file://" + tmp.Sub("theirs")]);
        Assert.That(code, Is.EqualTo(dup.ExitCode).And.EqualTo(expectedCode), output + error);
        if (expectedText != null)
        {
            Assert.That(dup.StandardOutput + dup.StandardError, Does.Contain(expectedText), "duplicity's own text");
            Assert.That(output + error, Does.Contain(expectedText));
        }
        if (expectedCode == 0)
        {
            (await DuplicityCli.RunAsync(tmp.Sub("r"), "restore", "--no-encryption", "file://" + tmp.Sub("ours"), tmp.Sub("restored"))).EnsureSuccess();
            Assert.That(TreeSnapshot.Describe(tmp.Sub("restored")), Is.EqualTo(TreeSnapshot.Describe(source)));
        }
    }

    [Test]
    public async Task FilelistFromStandardInputAsDuplicity()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 20_000);
        var list = $"{source}/sub\n{source}/a.txt\n";
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "duplicity-net.dll");
        var ours = await RunWithInputAsync(ExternalTool.Require("dotnet"), [dll, "full", "--no-encryption", "--include-filelist-stdin", "--exclude", "**", "--archive-dir", tmp.Sub("cache"), source, "file://" + tmp.Sub("ours")], list);
        var theirs = await RunWithInputAsync(ExternalTool.Require("duplicity"), ["full", "--no-encryption", "--include-filelist-stdin", "--exclude", "**", "--archive-dir", tmp.Sub("dupcache"), source, "file://" + tmp.Sub("theirs")], list);
        Assert.That(ours.Code, Is.EqualTo(theirs.Code).And.EqualTo(0), ours.Output);
        Assert.That(ours.Output, Does.Contain("Warning: Option --include-filelist-stdin is pending deprecation"));
        (await DuplicityCli.RunAsync(tmp.Sub("r1"), "restore", "--no-encryption", "file://" + tmp.Sub("ours"), tmp.Sub("fromOurs"))).EnsureSuccess();
        (await DuplicityCli.RunAsync(tmp.Sub("r2"), "restore", "--no-encryption", "file://" + tmp.Sub("theirs"), tmp.Sub("fromTheirs"))).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("fromOurs")), Is.EqualTo(TreeSnapshot.Describe(tmp.Sub("fromTheirs"))));
        Assert.That(File.Exists(Path.Combine(tmp.Sub("fromOurs"), "a.txt")) && !File.Exists(Path.Combine(tmp.Sub("fromOurs"), "empty.txt")), Is.True, "only the listed paths");
    }

    private static async Task<(int Code, string Output)> RunWithInputAsync(string program, IEnumerable<string> args, string input)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("PASSPHRASE");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
