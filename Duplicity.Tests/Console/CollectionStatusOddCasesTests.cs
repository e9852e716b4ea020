using Duplicity.Samples;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>collection-status on a repository with secondary chains, an incomplete set, an orphaned set and an orphaned signature file.</summary>
[Category("Interop")]
[NonParallelizable]
public class CollectionStatusOddCasesTests
{
    private const long T0 = 1_700_000_000;

    [Test]
    public async Task ReportMatchesDuplicity()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 50_000);
        var remote = tmp.Sub("remote");
        int step = 0;
        for (int chain = 0; chain < 3; chain++)
            for (int set = 0; set < 2; set++)
            {
                if (step > 0) TreeMutator.Mutate(src, step);
                (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), set == 0 ? "full" : "incremental", "--no-encryption",
                    "--current-time", (T0 + step * 86400).ToString(), src, "file://" + remote)).EnsureSuccess();
                step++;
            }
        // An incomplete set (a volume, no manifest), an orphaned set (an incremental starting where no chain ends)
        // and an orphaned signature file.
        File.WriteAllBytes(Path.Combine(remote, "duplicity-inc.20231201T000000Z.to.20231202T000000Z.vol1.difftar.gz"), [1]);
        var manifest = Directory.GetFiles(remote, "duplicity-inc.*.manifest").Order().First();
        File.Copy(manifest, Path.Combine(remote, "duplicity-inc.20231110T000000Z.to.20231111T000000Z.manifest"));
        File.WriteAllBytes(Path.Combine(remote, "duplicity-inc.20231110T000000Z.to.20231111T000000Z.vol1.difftar.gz"), [1]);
        using (var sig = File.Create(Path.Combine(remote, "duplicity-new-signatures.20231210T000000Z.to.20231211T000000Z.sigtar.gz")))
        using (var gz = new System.IO.Compression.GZipStream(sig, System.IO.Compression.CompressionLevel.Optimal))
            gz.Write(new byte[10240]);

        var theirs = await DuplicityCli.RunAsync(tmp.Sub("theirs"), "collection-status", "--name", "n", "file://" + remote);
        var stdout = new StringWriter();
        int code = await ConsoleApp.RunAsync(["collection-status", "--name", "n", "--archive-dir", tmp.Sub("ours"), "file://" + remote], stdout, new StringWriter());
        Assert.That(code, Is.EqualTo(theirs.ExitCode));
        string Normalise(string s, string dir) => s.Replace(Path.Combine(dir, "n"), "<archive-dir>").TrimEnd('\n');
        Assert.That(Normalise(stdout.ToString(), tmp.Sub("ours")), Is.EqualTo(Normalise(theirs.StandardOutput, tmp.Sub("theirs"))));
    }
}
