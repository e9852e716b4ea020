using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>
/// <c>restore --ignore-errors</c> (and <c>verify</c>) over a volume whose hash does not match, side by side with the real
/// duplicity, on archives written by either: without the option both stop with code 21; with it both go on
/// past the bad volume with duplicity's warning and exit 0. Every file this console restores is whole; a file
/// duplicity writes with only part of its data is left out here (and named in a warning).
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class IgnoreErrorsInteropTests
{
    /// <summary>
    /// With 1 MB volumes the c files lie in one volume that b.bin runs into and d.bin runs out of; a.bin and
    /// e.txt lie in other volumes.
    /// </summary>
    private static void CreateTree(string source) => BadVolumeTree.Create(source, aBytes: 700_000, bBytes: 500_000, cBytes: 20_000, dBytes: 1_500_000);

    /// <summary>Flips a byte of the full backup's volume whose manifest range holds <paramref name="path"/>; returns its name.</summary>
    private static string TamperVolumeHolding(string remote, string path)
    {
        int number = BadVolumeTree.VolumeHolding(File.ReadAllBytes(Directory.GetFiles(remote, "duplicity-full.*.manifest").Single()), path);
        var volume = Directory.GetFiles(remote, $"duplicity-full.*.vol{number}.difftar.gz").Single();
        var bytes = File.ReadAllBytes(volume);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(volume, bytes);
        return Path.GetFileName(volume);
    }

    [TestCase(true, TestName = "ABadVolumeIsSkippedAsDuplicitySkipsIt(duplicity's archive)")]
    [TestCase(false, TestName = "ABadVolumeIsSkippedAsDuplicitySkipsIt(our archive)")]
    public async Task ABadVolumeIsSkippedAsDuplicitySkipsIt(bool duplicityWrites)
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        CreateTree(source);
        var remote = tmp.Sub("remote");
        var url = "file://" + remote;
        string[] full = ["full", "--no-encryption", "--volsize", "1"];
        if (duplicityWrites) (await DuplicityCli.RunAsync(tmp.Sub("writer"), [.. full, source, url])).EnsureSuccess();
        else Assert.That((await ConsoleRun.RunAsync([.. full, "--archive-dir", tmp.Sub("writer"), source, url])).Code, Is.EqualTo(0));
        var bad = TamperVolumeHolding(remote, "c3.txt");

        var strict = await ConsoleRun.RunAsync("restore", "--no-encryption", "--archive-dir", tmp.Sub("c1"), url, tmp.Sub("strictOurs"));
        var dupStrict = await DuplicityCli.RunAsync(tmp.Sub("d1"), "restore", "--no-encryption", url, tmp.Sub("strictTheirs"));
        Assert.That(strict.Code, Is.EqualTo(dupStrict.ExitCode).And.EqualTo(21), strict.Out + strict.Err);

        var ours = await ConsoleRun.RunAsync("restore", "--no-encryption", "--ignore-errors", "--archive-dir", tmp.Sub("c2"), url, tmp.Sub("ours"));
        var theirs = await DuplicityCli.RunAsync(tmp.Sub("d2"), "restore", "--no-encryption", "--ignore-errors", url, tmp.Sub("theirs"));
        Assert.That(ours.Code, Is.EqualTo(theirs.ExitCode).And.EqualTo(0), ours.Out + ours.Err + " / " + theirs.StandardError);
        var warning = "IGNORED_ERROR: Warning: ignoring error as requested: BadVolumeException: Hash mismatch for: " + bad;
        Assert.That(theirs.StandardOutput + theirs.StandardError, Does.Contain(warning), "duplicity's own words");
        Assert.That(ours.Out + ours.Err, Does.Contain(warning));

        var partial = new List<string>();
        foreach (var file in Directory.GetFiles(source).Select(Path.GetFileName).Order())
        {
            var expected = File.ReadAllBytes(Path.Combine(source, file!));
            var ourPath = Path.Combine(tmp.Sub("ours"), file!);
            var theirPath = Path.Combine(tmp.Sub("theirs"), file!);
            bool theirsWhole = File.Exists(theirPath) && File.ReadAllBytes(theirPath).AsSpan().SequenceEqual(expected);
            if (File.Exists(ourPath)) Assert.That(File.ReadAllBytes(ourPath), Is.EqualTo(expected), $"{file} restored by us is whole");
            Assert.That(File.Exists(ourPath), Is.EqualTo(theirsWhole), $"{file}: restored here exactly when duplicity restores it whole");
            if (File.Exists(theirPath) && !theirsWhole) partial.Add(file!);
        }
        Assert.That(partial, Is.EquivalentTo(new[] { "b.bin", "d.bin" }), "duplicity writes the files cut by the bad volume with what it has");
        foreach (var file in partial) Assert.That(ours.Out + ours.Err, Does.Contain($"Not restoring {file}: part of its data was in a volume left out"));
        Assert.That(File.Exists(Path.Combine(tmp.Sub("ours"), "c3.txt")) || File.Exists(Path.Combine(tmp.Sub("theirs"), "c3.txt")), Is.False);
        Assert.That(File.Exists(Path.Combine(tmp.Sub("ours"), "a.bin")) && File.Exists(Path.Combine(tmp.Sub("ours"), "e.txt")), Is.True);

        // verify reads the volumes as restore does: 21 without the option; with it, the same differences as duplicity.
        var verifyStrict = await ConsoleRun.RunAsync("verify", "--compare-data", "--no-encryption", "--archive-dir", tmp.Sub("c2"), url, source);
        var dupVerifyStrict = await DuplicityCli.RunAsync(tmp.Sub("d2"), "verify", "--compare-data", "--no-encryption", url, source);
        Assert.That(verifyStrict.Code, Is.EqualTo(dupVerifyStrict.ExitCode).And.EqualTo(21), verifyStrict.Out + verifyStrict.Err);
        var verify = await ConsoleRun.RunAsync("verify", "--compare-data", "--no-encryption", "--ignore-errors", "--archive-dir", tmp.Sub("c2"), url, source);
        var dupVerify = await DuplicityCli.RunAsync(tmp.Sub("d2"), "verify", "--compare-data", "--no-encryption", "--ignore-errors", url, source);
        Assert.That(verify.Code, Is.EqualTo(dupVerify.ExitCode).And.EqualTo(1), verify.Out + verify.Err + " / " + dupVerify.StandardError);
        static string[] Differences(string text) =>
            [.. text.Split('\n').Where(l => l.StartsWith("Difference found:", StringComparison.Ordinal) || l.StartsWith("Verify complete:", StringComparison.Ordinal)).Order()];
        Assert.That(Differences(verify.Out + verify.Err), Is.EqualTo(Differences(dupVerify.StandardOutput + dupVerify.StandardError)).And.Not.Empty);
        var quick = await ConsoleRun.RunAsync("verify", "--no-encryption", "--ignore-errors", "--archive-dir", tmp.Sub("c2"), url, source);
        var dupQuick = await DuplicityCli.RunAsync(tmp.Sub("d2"), "verify", "--no-encryption", "--ignore-errors", url, source);
        Assert.That(quick.Code, Is.EqualTo(dupQuick.ExitCode).And.EqualTo(0), "without --compare-data nothing shows the left-out volume");
    }
}
