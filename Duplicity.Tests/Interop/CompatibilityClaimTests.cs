using Duplicity.Samples;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Interop;

/// <summary>
/// The README's compatibility table, claim by claim where no other test covers it: each test runs
/// the real duplicity 0.8.22 and the console on the same tree.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class CompatibilityClaimTests
{
    private static async Task<int> RunOursAsync(params string[] args)
    {
        var output = new StringWriter();
        int code = await ConsoleApp.RunAsync(args, output, output);
        Assert.That(code, Is.EqualTo(0), output.ToString());
        return code;
    }

    [Test]
    public async Task ManifestsAreByteIdenticalToDuplicitysButForVolumeHashes()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 200_000);
        string[] common = ["full", "--no-encryption", "--current-time", "1700000000", source];
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), [.. common, "file://" + tmp.Sub("theirs")])).EnsureSuccess();
        await RunOursAsync([.. common, "--archive-dir", tmp.Sub("cache"), "file://" + tmp.Sub("ours")]);

        const string name = "duplicity-full.20231114T221320Z.manifest";
        var theirs = File.ReadAllLines(Path.Combine(tmp.Sub("theirs"), name));
        var ours = File.ReadAllLines(Path.Combine(tmp.Sub("ours"), name));
        // Volume hashes hash compressed bytes, and the two gzip encoders differ; every other line is the same.
        static IEnumerable<string> WithoutHashes(IEnumerable<string> lines) => lines.Where(l => !l.TrimStart().StartsWith("Hash ", StringComparison.Ordinal));
        Assert.That(ours.Count(l => l.TrimStart().StartsWith("Hash SHA1 ", StringComparison.Ordinal)), Is.EqualTo(theirs.Count(l => l.TrimStart().StartsWith("Hash SHA1 ", StringComparison.Ordinal))));
        Assert.That(WithoutHashes(ours), Is.EqualTo(WithoutHashes(theirs)));
        Assert.That(theirs.Length, Is.GreaterThan(5), "the manifest lists volumes and files");
    }

    [Test]
    public async Task HardLinksAreStoredAsSeparateFilesBothWays()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a"), "shared content\n");
        (await ExternalTool.RunAsync(ExternalTool.Require("ln"), [Path.Combine(source, "a"), Path.Combine(source, "b")])).EnsureSuccess();
        Assert.That(await LinkCountAsync(Path.Combine(source, "a")), Is.EqualTo(2), "the source holds a hard-link pair");

        await RunOursAsync("full", "--no-encryption", "--archive-dir", tmp.Sub("cache"), source, "file://" + tmp.Sub("ours"));
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), "full", "--no-encryption", source, "file://" + tmp.Sub("theirs"))).EnsureSuccess();

        var byDuplicity = tmp.Sub("restored-by-duplicity");
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache2"), "restore", "--no-encryption", "file://" + tmp.Sub("ours"), byDuplicity)).EnsureSuccess();
        var byUs = tmp.Sub("restored-by-us");
        await RunOursAsync("restore", "--no-encryption", "--archive-dir", tmp.Sub("cache2"), "file://" + tmp.Sub("theirs"), byUs);

        foreach (var restored in new[] { byDuplicity, byUs })
        {
            Assert.That(TreeSnapshot.Describe(restored, includeRootMtime: false), Is.EqualTo(TreeSnapshot.Describe(source, includeRootMtime: false)));
            Assert.That(await LinkCountAsync(Path.Combine(restored, "a")), Is.EqualTo(1), $"{restored}/a is a file of its own");
            Assert.That(await LinkCountAsync(Path.Combine(restored, "b")), Is.EqualTo(1), $"{restored}/b is a file of its own");
        }
    }

    private static async Task<int> LinkCountAsync(string path)
    {
        var stat = (await ExternalTool.RunAsync(ExternalTool.Require("stat"), ["-c", "%h", path])).EnsureSuccess();
        return int.Parse(stat.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
