using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>
/// <c>--volsize</c> limits the stored (compressed or encrypted) volume file as duplicity's does: the same tree
/// backed up by both with <c>--volsize 1</c> gives about the same number of volumes of about the same size, and
/// duplicity restores ours.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class VolumeSizeInteropTests
{
    private const long MiB = 1024 * 1024;

    [TestCase(false, true)]
    [TestCase(false, false)]
    [TestCase(true, true)]
    [TestCase(true, false)]
    public async Task VolumesAreCutOnTheirStoredSizeAsDuplicitysAre(bool encrypted, bool compressible)
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        if (compressible) WriteText(source, files: 14, wordsPerFile: 110_000);
        else WriteRandom(source, files: 6, bytesPerFile: 700_000);
        var env = new Dictionary<string, string?> { ["PASSPHRASE"] = encrypted ? "volsize test" : null };
        string[] mode = encrypted ? [] : ["--no-encryption"];

        var ours = tmp.Sub("ours");
        var run = await ConsoleProcess.RunAsync(env, ["full", .. mode, "--volsize", "1", "--archive-dir", tmp.Sub("cache"), source, "file://" + ours]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.StandardError);
        var theirs = tmp.Sub("theirs");
        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("dupcache"), env, ["full", .. mode, "--volsize", "1", source, "file://" + theirs])).EnsureSuccess();

        var ourSizes = VolumeSizes(ours);
        var theirSizes = VolumeSizes(theirs);
        TestContext.Out.WriteLine($"ours:   {ourSizes.Count} volumes {string.Join(' ', ourSizes)}");
        TestContext.Out.WriteLine($"theirs: {theirSizes.Count} volumes {string.Join(' ', theirSizes)}");
        Assert.That(ourSizes.Count, Is.InRange(theirSizes.Count - 1, theirSizes.Count + 1), "about as many volumes as duplicity");
        Assert.That(ourSizes.Count, Is.GreaterThanOrEqualTo(3), "the tree spans several volumes");

        // Every volume but the last is full: close under the size, never over it.
        var ourFull = ourSizes.SkipLast(1).ToList();
        var theirFull = theirSizes.SkipLast(1).ToList();
        Assert.That(ourFull, Has.All.InRange(MiB - 200 * 1024, MiB));
        // duplicity's gpg volumes end past the size by what gpg still buffered when it was measured; ours aim at
        // duplicity's target (50 KiB under the size) without that overshoot.
        double tolerance = encrypted ? 0.15 : 0.05;
        Assert.That(ourFull.Average(), Is.EqualTo(theirFull.Average()).Within(tolerance * theirFull.Average()), "full volumes as large as duplicity's");

        var restored = tmp.Sub("restored");
        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("dupcache2"), env, ["restore", .. mode, "file://" + ours, restored])).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
        var ownRestore = await ConsoleProcess.RunAsync(env, ["restore", .. mode, "--archive-dir", tmp.Sub("cache3"), "file://" + ours, tmp.Sub("own")]);
        Assert.That(ownRestore.ExitCode, Is.EqualTo(0), ownRestore.StandardError);
        Assert.That(TreeSnapshot.Describe(tmp.Sub("own")), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    private static List<long> VolumeSizes(string remote) =>
        [.. Directory.GetFiles(remote, "*.difftar*").Order(StringComparer.Ordinal)
            .OrderBy(f => int.Parse(Path.GetFileName(f).Split(".vol")[1].Split('.')[0]))
            .Select(f => new FileInfo(f).Length)];

    // Text from a small vocabulary: compresses about 3:1, like ordinary documents.
    private static void WriteText(string root, int files, int wordsPerFile)
    {
        Directory.CreateDirectory(root);
        var random = new Random(11);
        var words = Enumerable.Range(0, 2000).Select(_ => new string([.. Enumerable.Range(0, random.Next(3, 10)).Select(_ => (char)('a' + random.Next(10)))])).ToArray();
        for (int i = 0; i < files; i++)
            File.WriteAllText(Path.Combine(root, $"text{i:D2}.txt"), string.Join(' ', Enumerable.Range(0, wordsPerFile).Select(_ => words[random.Next(words.Length)])));
    }

    private static void WriteRandom(string root, int files, int bytesPerFile)
    {
        Directory.CreateDirectory(root);
        var random = new Random(12);
        for (int i = 0; i < files; i++)
        {
            var data = new byte[bytesPerFile];
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(root, $"random{i}.bin"), data);
        }
    }
}
