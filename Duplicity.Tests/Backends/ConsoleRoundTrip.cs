using Duplicity.Samples;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends;

/// <summary>
/// Runs the console (<see cref="ConsoleApp.RunAsync"/>) against a backend URL: <c>full --no-encryption</c>
/// of a tree with every file kind plus a 3 MiB incompressible file, then <c>restore</c>, and compares the trees.
/// </summary>
internal static class ConsoleRoundTrip
{
    public const int BigFileBytes = 3 * 1024 * 1024;

    public static async Task<(int Code, string Out, string Err)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await ConsoleApp.RunAsync(args, stdout, stderr, environment);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Backs up and restores through <paramref name="url"/> with <paramref name="options"/> on both command lines.</summary>
    public static async Task BackupAndRestoreAsync(string url, IReadOnlyDictionary<string, string?> environment, params string[] options)
    {
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src);
        var big = new byte[BigFileBytes];
        new Random(5).NextBytes(big);
        File.WriteAllBytes(Path.Combine(src, "random.bin"), big);

        var (code, output, err) = await RunAsync(environment,
            ["full", "--no-encryption", "--volsize", "2", "--archive-dir", tmp.Sub("cache"), .. options, src, url]);
        Assert.That(code, Is.Zero, err + output);
        Assert.That(output, Does.Contain("[ Backup Statistics ]"));

        // A fresh cache, so the restore reads everything (manifests, signatures, volumes) from the backend.
        var (rcode, rout, rerr) = await RunAsync(environment,
            ["restore", "--no-encryption", "--archive-dir", tmp.Sub("cache2"), .. options, url, tmp.Sub("out")]);
        Assert.That(rcode, Is.Zero, rerr + rout);
        Assert.That(TreeSnapshot.Describe(tmp.Sub("out")), Is.EqualTo(TreeSnapshot.Describe(src)));
    }
}
