using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>The console, driven with duplicity's own command lines, against the real duplicity's exit codes.</summary>
[Category("Interop")]
[NonParallelizable]
public class ConsoleBackupRestoreTests
{
    [Test]
    public async Task FullThenRestoreWithDuplicitysSyntax()
    {
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src);
        var url = "file://" + tmp.Sub("remote");
        var (code, output, _) = await ConsoleRun.RunAsync("full", "--no-encryption", "--volsize", "1", "--archive-dir", tmp.Sub("cache"), src, url);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("--------------[ Backup Statistics ]--------------"));
        Assert.That(output, Does.Match(@"SourceFiles \d+"));

        var (rcode, _, rerr) = await ConsoleRun.RunAsync("restore", "--no-encryption", "--archive-dir", tmp.Sub("cache"), url, tmp.Sub("out"));
        Assert.That(rcode, Is.EqualTo(0), rerr);
        Assert.That(TreeSnapshot.Describe(tmp.Sub("out")), Is.EqualTo(TreeSnapshot.Describe(src)));

        // One file, the implicit restore action (URL first), --file-to-restore with slashes around it.
        var (fcode, _, ferr) = await ConsoleRun.RunAsync("--no-encryption", "-r", "/sub/nested/deep.txt/", "--archive-dir", tmp.Sub("cache"), url, tmp.Sub("one"));
        Assert.That(fcode, Is.EqualTo(0), ferr);
        Assert.That(File.ReadAllText(tmp.Sub("one")), Is.EqualTo("deep\n"));
    }

    [Test]
    public async Task ImplicitBackupIsFullThenIncrementalAndFullIfOlderThanForcesAFull()
    {
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src);
        var remote = tmp.Sub("remote");
        var url = "file://" + remote;
        string[] common = ["--no-encryption", "--archive-dir", tmp.Sub("cache")];
        Assert.That((await ConsoleRun.RunAsync([.. common, "--current-time", "1700000000", src, url])).Code, Is.EqualTo(0));
        TreeMutator.Mutate(src, 1);
        Assert.That((await ConsoleRun.RunAsync([.. common, "--current-time", "1700003600", src, url])).Code, Is.EqualTo(0));
        Assert.That(Directory.GetFiles(remote, "duplicity-inc.*.manifest"), Has.Length.EqualTo(1), "the second run is an incremental");
        TreeMutator.Mutate(src, 2);
        Assert.That((await ConsoleRun.RunAsync([.. common, "--current-time", "1700007200", "incremental", "--full-if-older-than", "1h", src, url])).Code, Is.EqualTo(0));
        Assert.That(Directory.GetFiles(remote, "duplicity-full.*.manifest"), Has.Length.EqualTo(2), "the chain's full was older than 1h");
        var latest = TreeSnapshot.Describe(src);
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), "restore", "--no-encryption", url, tmp.Sub("out"))).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("out")), Is.EqualTo(latest));
    }

    [Test]
    public async Task ErrorExitsMatchDuplicity()
    {
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        Directory.CreateDirectory(src);
        File.WriteAllText(Path.Combine(src, "f.txt"), "x");
        var url = "file://" + tmp.Sub("remote");
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), "full", "--no-encryption", src, url)).EnsureSuccess();
        var nonEmpty = tmp.Sub("nonempty");
        Directory.CreateDirectory(nonEmpty);
        File.WriteAllText(Path.Combine(nonEmpty, "keep.txt"), "keep");

        string[][] cases =
        [
            ["restore", "--no-encryption", url, nonEmpty],                                   // 11: target not empty
            ["full", "--no-encryption", tmp.Sub("missing-src"), url],                        // 13: no source
            ["restore", "--no-encryption", "-r", "no/such/file", url, tmp.Sub("t19")],       // 19: path not found
            ["full", "--no-encryption", src],                                                // 2: argument count
            ["full", "--no-encryption", "--no-such-option", src, url],                       // 2: unknown option
            ["re", "--no-encryption", url, tmp.Sub("t2")],                                   // 2: ambiguous command
            ["--no-encryption", src, tmp.Sub("other")],                                      // 2: no URL
            ["incremental", "--no-encryption", src, "file://" + tmp.Sub("empty-remote")],    // 17: no chain
            ["verify", "--no-encryption", url, tmp.Sub("missing-dir")],                       // 12: no local folder to verify
            ["remove-all-but-n-full", "0", "--force", url],                                   // 2: count must be > 0
            ["remove-all-inc-of-but-n-full", "0", "--force", url],                            // 2: count must be > 0
        ];
        foreach (var args in cases)
        {
            var theirs = await DuplicityCli.RunAsync(tmp.Sub("dupcache2"), args);
            var ours = await ConsoleRun.RunAsync([.. args, "--archive-dir", tmp.Sub("ourcache")]);
            Assert.That(ours.Code, Is.EqualTo(theirs.ExitCode), $"duplicity {string.Join(' ', args)}\nours: {ours.Err}\ntheirs: {theirs.StandardError}");
        }
        Assert.That(File.ReadAllText(Path.Combine(nonEmpty, "keep.txt")), Is.EqualTo("keep"), "a refused restore changes nothing");

        // An existing but empty target is fine (0) for both.
        Directory.CreateDirectory(tmp.Sub("empty-theirs"));
        Directory.CreateDirectory(tmp.Sub("empty-ours"));
        var emptyTheirs = await DuplicityCli.RunAsync(tmp.Sub("dupcache2"), "restore", "--no-encryption", url, tmp.Sub("empty-theirs"));
        var emptyOurs = await ConsoleRun.RunAsync("restore", "--no-encryption", "--archive-dir", tmp.Sub("ourcache"), url, tmp.Sub("empty-ours"));
        Assert.That(emptyOurs.Code, Is.EqualTo(emptyTheirs.ExitCode).And.EqualTo(0), emptyOurs.Err);
        Assert.That(TreeSnapshot.Describe(tmp.Sub("empty-ours")), Is.EqualTo(TreeSnapshot.Describe(tmp.Sub("empty-theirs"))));
    }
}
