using System.Text.RegularExpressions;
using Duplicity.Samples;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>--dry-run prints what duplicity prints for the same state and leaves the backend and cache untouched.</summary>
[Category("Interop")]
[NonParallelizable]
public partial class DryRunConsoleTests
{
    private const long T0 = 1_700_000_000;

    // The lines both tools print the same way (duplicity adds banner, temp-dir and manifest chatter at -v info).
    [GeneratedRegex(@"^(Sync would|Local and Remote|Synchronizing|Last full|[AMD] |\t|Required volumes|duplicity-|SourceFile|NewFile|DeletedFiles|Changed|DeltaEntries|RawDeltaSize|TotalDestination|Errors)")]
    private static partial Regex ComparableLine();

    private static string[] Comparable(string output) => output.Split('\n').Where(l => ComparableLine().IsMatch(l)).ToArray();

    private static async Task<string> RunOursAsync(params string[] args)
    {
        var stdout = new StringWriter();
        int code = await ConsoleApp.RunAsync(args, stdout, new StringWriter());
        Assert.That(code, Is.EqualTo(0), stdout.ToString());
        return stdout.ToString();
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
    }

    [Test]
    public async Task BackupRestoreAndSyncDryRunsPrintWhatDuplicityPrints()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 150_000);
        var url = "file://" + tmp.Sub("remote");

        // Full dry run on an empty backend: nothing written anywhere.
        string[] full = ["full", "--dry-run", "-v", "info", "--no-encryption", "--name", "n", "--current-time", T0.ToString(), src, url];
        var theirs = await DuplicityCli.RunAsync(tmp.Sub("theirs-0"), full);
        theirs.EnsureSuccess();
        var ours = await RunOursAsync([.. full, "--archive-dir", tmp.Sub("ours-0")]);
        Assert.That(Comparable(ours), Is.EqualTo(Comparable(theirs.StandardOutput)));
        Assert.That(Comparable(ours), Does.Contain("A big.bin").And.Contains("TotalDestinationSizeChange 0 (0 bytes)").And.Contains("SourceFiles 80"));
        Assert.That(Directory.Exists(tmp.Sub("remote")) && Directory.GetFiles(tmp.Sub("remote")).Length > 0, Is.False);

        // A real full by duplicity, a change, then incremental dry runs from a cache missing the manifest.
        (await DuplicityCli.RunAsync(tmp.Sub("cache"), "full", "--no-encryption", "--name", "n", "--current-time", T0.ToString(), src, url)).EnsureSuccess();
        TreeMutator.Mutate(src, 1);
        var remoteBefore = Directory.GetFiles(tmp.Sub("remote")).Order().ToArray();
        foreach (var who in new[] { "theirs", "ours" })
        {
            CopyFolder(Path.Combine(tmp.Sub("cache"), "n"), Path.Combine(tmp.Sub(who + "-1"), "n"));
            foreach (var m in Directory.GetFiles(Path.Combine(tmp.Sub(who + "-1"), "n"), "*.manifest")) File.Delete(m);
            File.WriteAllText(Path.Combine(tmp.Sub(who + "-1"), "n", "duplicity-full.20231114T000000Z.manifest"), "");
        }
        string[] inc = ["incremental", "--dry-run", "-v", "info", "--no-encryption", "--name", "n", "--current-time", (T0 + 3600).ToString(), src, url];
        theirs = await DuplicityCli.RunAsync(tmp.Sub("theirs-1"), inc);
        theirs.EnsureSuccess();
        ours = await RunOursAsync([.. inc, "--archive-dir", tmp.Sub("ours-1")]);
        var lines = Comparable(ours);
        Assert.That(lines, Is.EqualTo(Comparable(theirs.StandardOutput)));
        Assert.That(lines, Does.Contain("Sync would copy the following from remote to local:")
            .And.Contain("Sync would remove the following spurious local files:").And.Some.Matches("^M "));
        Assert.That(Directory.GetFiles(tmp.Sub("remote")).Order().ToArray(), Is.EqualTo(remoteBefore));
        Assert.That(Directory.GetFiles(Path.Combine(tmp.Sub("ours-1"), "n")).Select(Path.GetFileName),
            Is.EquivalentTo(Directory.GetFiles(Path.Combine(tmp.Sub("theirs-1"), "n")).Select(Path.GetFileName)));

        // Restore dry run: the volume list, and no target written.
        string[] restore = ["restore", "--dry-run", "--no-encryption", "--name", "n", url, tmp.Sub("target")];
        theirs = await DuplicityCli.RunAsync(tmp.Sub("theirs-2"), restore);
        theirs.EnsureSuccess();
        ours = await RunOursAsync([.. restore, "--archive-dir", tmp.Sub("ours-2")]);
        Assert.That(Comparable(ours), Is.EqualTo(Comparable(theirs.StandardOutput)));
        Assert.That(ours, Does.Contain("Required volumes to restore:\n\tduplicity-full."));
        Assert.That(Directory.Exists(tmp.Sub("target")), Is.False);
    }
}
