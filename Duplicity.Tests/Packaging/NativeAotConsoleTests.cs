using System.Globalization;
using Duplicity.Tests.Crypto;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Packaging;

/// <summary>
/// The console as the benchmarks publish it, Native AOT (scripts/benchmarks/publish-console.sh), does
/// the work the JIT build does: a trimmed, ahead-of-time compiled program has no reflection to fall
/// back on, so its OpenPGP, gzip, librsync and file paths are run here on a copy of the sources,
/// against the real duplicity in both directions.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class NativeAotConsoleTests
{
    private const string Passphrase = "aot pass phrase";

    [Test]
    public async Task TheAotPublishedConsoleBacksUpRestoresAndReadsDuplicitysArchives()
    {
        var bash = ExternalTool.Require("bash");
        var git = ExternalTool.Require("git");
        ExternalTool.Require("duplicity");
        using var keys = new GpgTestKeys();
        using var tmp = new TempFolder();

        string console = await PublishAsync(bash, git, tmp);

        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 2_500_000);
        var url = "file://" + tmp.Sub("remote");
        var env = new Dictionary<string, string?> { ["PASSPHRASE"] = Passphrase, ["GNUPGHOME"] = keys.Home, ["HOME"] = tmp.Path };
        string[] ours = ["--archive-dir", tmp.Sub("cache"), "--volsize", "1"];
        (await ExternalTool.RunAsync(console, ["full", .. ours, src, url], env)).EnsureSuccess();
        var first = TreeSnapshot.Describe(src);
        TreeMutator.Mutate(src, 1);
        // A later second than the full's: backup times are whole seconds.
        await Task.Delay(1100);
        (await ExternalTool.RunAsync(console, ["incremental", .. ours, src, url], env)).EnsureSuccess();
        var second = TreeSnapshot.Describe(src);
        Assert.That(Directory.GetFiles(tmp.Sub("remote"), "*.difftar.gpg").Length, Is.GreaterThanOrEqualTo(3), "encrypted, several volumes");

        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("dup-cache"), env, "restore", url, tmp.Sub("theirs"))).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("theirs")), Is.EqualTo(second), "duplicity restores the AOT console's chain");

        (await ExternalTool.RunAsync(console, ["restore", .. ours, url, tmp.Sub("ours")], env)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("ours")), Is.EqualTo(second));
        // The full's own time, from its manifest's name (duplicity-full.YYYYMMDDThhmmssZ.manifest.gpg).
        var stamp = Path.GetFileName(Directory.GetFiles(tmp.Sub("remote"), "duplicity-full.*.manifest.gpg").Single()).Split('.')[1];
        var fullTime = DateTime.ParseExact(stamp, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        (await ExternalTool.RunAsync(console, ["restore", .. ours, "--time", fullTime, url, tmp.Sub("ours-first")], env)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("ours-first")), Is.EqualTo(first), "the full alone, before the incremental");

        var list = (await ExternalTool.RunAsync(console, ["list-current-files", .. ours, url], env)).EnsureSuccess();
        var someFile = Directory.EnumerateFiles(src, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(src, f)).First();
        Assert.That(list.StandardOutput, Does.Contain(" " + someFile + "\n"));
        (await ExternalTool.RunAsync(console, ["verify", "--compare-data", .. ours, url, src], env)).EnsureSuccess();

        // The other way: duplicity's own chain (GnuPG's OpenPGP, duplicity's tar and librsync) read by the AOT console.
        var dupUrl = "file://" + tmp.Sub("dup-remote");
        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("dup-cache2"), env, "full", "--volsize", "1", src, dupUrl)).EnsureSuccess();
        (await ExternalTool.RunAsync(console, ["restore", "--archive-dir", tmp.Sub("cache2"), dupUrl, tmp.Sub("from-duplicity")], env)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("from-duplicity")), Is.EqualTo(second));
    }

    /// <summary>
    /// Publishes a copy of the sources, so that the solution's own build output, which the running tests
    /// have loaded, is never rewritten. Returns the native program.
    /// </summary>
    private static async Task<string> PublishAsync(string bash, string git, TempFolder tmp)
    {
        string repository = RepositoryFolder.Root();
        var files = await ExternalTool.RunAsync(git, ["-C", repository, "ls-files", "--cached", "--others", "--exclude-standard", "-z"]);
        files.EnsureSuccess();
        var copy = tmp.Sub("sources");
        foreach (var file in files.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!file.StartsWith("Duplicity.Core/", StringComparison.Ordinal) && !file.StartsWith("Duplicity.Backends.", StringComparison.Ordinal)
                && !file.StartsWith("Duplicity.Samples/", StringComparison.Ordinal) && !file.StartsWith("scripts/", StringComparison.Ordinal)
                && file.Contains('/', StringComparison.Ordinal))
                continue;
            var from = Path.Combine(repository, file);
            if (!File.Exists(from)) continue; // deleted in the work tree
            var to = Path.Combine(copy, file);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
        }
        // nuget.config names this local feed; it must exist for a restore.
        Directory.CreateDirectory(Path.Combine(copy, "artifacts", "packages"));

        var output = tmp.Sub("console");
        var publish = await ExternalTool.RunAsync(bash, [Path.Combine(copy, "scripts", "benchmarks", "publish-console.sh"), output],
            new Dictionary<string, string?> { ["KIND"] = "aot" }, timeout: TimeSpan.FromMinutes(15));
        publish.EnsureSuccess();
        Assert.That(File.ReadAllText(Path.Combine(output, "publish-kind.txt")), Does.StartWith("Native AOT"));
        Assert.That(File.Exists(Path.Combine(output, "duplicity-net.dll")), Is.False, "a native program, no managed assembly");
        return Path.Combine(output, "duplicity-net");
    }
}
