using Duplicity.Samples;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>verify, retention and cleanup give the same results and exit codes as duplicity on the same backups.</summary>
[Category("Interop")]
[NonParallelizable]
public class ManagementCommandTests
{
    private const long T0 = 1_700_000_000;

    private static async Task<(int Code, string Out)> RunOursAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await ConsoleApp.RunAsync(args, stdout, stderr);
        return (code, stdout + stderr.ToString());
    }

    /// <summary>Three chains (full + two incrementals each) written by duplicity at fixed times.</summary>
    private static async Task<string> MakeChainsAsync(TempFolder tmp)
    {
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 100_000);
        var remote = tmp.Sub("remote");
        int step = 0;
        for (int chain = 0; chain < 3; chain++)
            for (int set = 0; set < 3; set++)
            {
                if (step > 0) TreeMutator.Mutate(src, step);
                (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), set == 0 ? "full" : "incremental", "--no-encryption",
                    "--current-time", (T0 + step * 86400).ToString(), src, "file://" + remote)).EnsureSuccess();
                step++;
            }
        return remote;
    }

    private static string Copy(string remote, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(remote)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        return to;
    }

    private static string[] Files(string dir) => Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [TestCase("remove-older-than", "3D")]
    [TestCase("remove-older-than", "20231116T000000Z")]
    [TestCase("remove-older-than", "20231118T000000Z")]
    [TestCase("remove-all-but-n-full", "2")]
    [TestCase("remove-all-but-n-full", "1")]
    [TestCase("remove-all-inc-of-but-n-full", "1")]
    [TestCase("remove-all-but-n-full", "5")]
    public async Task RetentionLeavesTheSameFilesAsDuplicity(string command, string argument)
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var remote = await MakeChainsAsync(tmp);
        var theirs = Copy(remote, tmp.Sub("theirs"));
        var ours = Copy(remote, tmp.Sub("ours"));

        // Without --force both only list; nothing changes.
        var dryTheirs = await DuplicityCli.RunAsync(tmp.Sub("c1"), command, argument, "file://" + theirs);
        var dryOurs = await RunOursAsync(command, argument, "--archive-dir", tmp.Sub("c2"), "file://" + ours);
        Assert.That(dryOurs.Code, Is.EqualTo(dryTheirs.ExitCode));
        Assert.That(Files(ours), Is.EqualTo(Files(remote)));
        Assert.That(dryOurs.Out.Trim(), Is.EqualTo(dryTheirs.StandardOutput.Trim()), "the listing matches duplicity's");

        var forceTheirs = await DuplicityCli.RunAsync(tmp.Sub("c3"), command, argument, "--force", "file://" + theirs);
        var forceOurs = await RunOursAsync(command, argument, "--force", "--archive-dir", tmp.Sub("c4"), "file://" + ours);
        Assert.That(forceOurs.Code, Is.EqualTo(forceTheirs.ExitCode));
        Assert.That(Files(ours), Is.EqualTo(Files(theirs)));
        Assert.That(Files(ours), Is.Not.Empty);
    }

    [Test]
    public async Task VerifyFindsTheSameDifferencesAsDuplicity()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 200_000);
        var url = "file://" + tmp.Sub("remote");
        Assert.That((await RunOursAsync("full", "--no-encryption", "--archive-dir", tmp.Sub("cache"), src, url)).Code, Is.EqualTo(0));

        foreach (var compare in new[] { false, true })
        {
            string[] args = compare ? ["verify", "--compare-data", "--no-encryption", url, src] : ["verify", "--no-encryption", url, src];
            var theirs = await DuplicityCli.RunAsync(tmp.Sub("dupcache"), args);
            var ours = await RunOursAsync([.. args, "--archive-dir", tmp.Sub("cache")]);
            Assert.That(ours.Code, Is.EqualTo(theirs.ExitCode).And.EqualTo(0));
            Assert.That(ours.Out, Does.Contain(LastLine(theirs.StandardOutput)));
        }

        File.WriteAllText(Path.Combine(src, "a.txt"), "changed!\n");          // content and mtime change
        File.Delete(Path.Combine(src, "sub", "nested", "deep.txt"));           // missing
        File.WriteAllText(Path.Combine(src, "brand-new.txt"), "new\n");       // new
        foreach (var compare in new[] { false, true })
        {
            string[] args = compare ? ["verify", "--compare-data", "--no-encryption", url, src] : ["verify", "--no-encryption", url, src];
            var theirs = await DuplicityCli.RunAsync(tmp.Sub("dupcache"), args);
            var ours = await RunOursAsync([.. args, "--archive-dir", tmp.Sub("cache")]);
            Assert.That(ours.Code, Is.EqualTo(theirs.ExitCode), string.Join(' ', args));
            var theirDiffs = theirs.StandardOutput.Split('\n').Where(l => l.StartsWith("Difference found") || l.StartsWith("Verify complete")).ToArray();
            var ourDiffs = ours.Out.Split('\n').Where(l => l.StartsWith("Difference found") || l.StartsWith("Verify complete")).ToArray();
            Assert.That(ourDiffs, Is.EqualTo(theirDiffs));
        }
        var missing = await RunOursAsync("verify", "--no-encryption", "--archive-dir", tmp.Sub("cache"), url, tmp.Sub("no-such-dir"));
        Assert.That(missing.Code, Is.EqualTo(12));
    }

    [Test]
    public async Task CleanupRemovesTheSameFilesAsDuplicity()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var remote = await MakeChainsAsync(tmp);
        // An incomplete set (volume without manifest) and an orphaned signature file.
        File.WriteAllBytes(Path.Combine(remote, "duplicity-inc.20231125T000000Z.to.20231126T000000Z.vol1.difftar.gz"), [1, 2, 3]);
        using (var sig = File.Create(Path.Combine(remote, "duplicity-new-signatures.20231201T000000Z.to.20231202T000000Z.sigtar.gz")))
        using (var gz = new System.IO.Compression.GZipStream(sig, System.IO.Compression.CompressionLevel.Optimal))
            gz.Write(new byte[10240]); // an empty tar archive: the sync before cleanup reads it
        var theirs = Copy(remote, tmp.Sub("theirs"));
        var ours = Copy(remote, tmp.Sub("ours"));
        foreach (var force in new[] { false, true })
        {
            string[] extra = force ? ["--force"] : [];
            var t = await DuplicityCli.RunAsync(tmp.Sub("c1"), ["cleanup", "--no-encryption", .. extra, "file://" + theirs]);
            var o = await RunOursAsync(["cleanup", "--no-encryption", .. extra, "--archive-dir", tmp.Sub("c2"), "file://" + ours]);
            Assert.That(o.Code, Is.EqualTo(t.ExitCode));
            Assert.That(Files(ours), Is.EqualTo(Files(theirs)));
        }
        Assert.That(Files(ours).Length, Is.EqualTo(Files(remote).Length - 2));
    }

    private static string LastLine(string text) => text.TrimEnd('\n').Split('\n')[^1];
}
