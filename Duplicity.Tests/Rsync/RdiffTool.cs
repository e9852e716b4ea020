using System.Diagnostics;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Rsync;

/// <summary>Runs the real librsync <c>rdiff</c>, the reference for signatures, deltas and patches.</summary>
internal static class RdiffTool
{
    private static readonly Lazy<string?> Location = new(() =>
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, "rdiff");
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    });

    /// <summary>The rdiff path, or ends the test: ignored, or failed when DUPLICITY_REQUIRE_SERVERS=1.</summary>
    public static string Require()
    {
        if (Location.Value is { } path)
        {
            return path;
        }

        const string reason = "rdiff (librsync) is not on PATH; install the Debian package 'rdiff'.";
        Requirement.Missing(reason);
        return "";
    }

    public static void Signature(string input, string output, int blockLength) =>
        Run("-H", "md4", "-R", "rollsum", "-S", "8", "-b", blockLength.ToString(), "signature", input, output);

    public static void Delta(string signature, string input, string output) => Run("delta", signature, input, output);

    public static void Patch(string basis, string delta, string output) => Run("patch", basis, delta, output);

    private static void Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Require()) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // rdiff refuses to overwrite an existing output file unless forced.
        start.ArgumentList.Insert(0, "--force");
        using var process = Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rdiff {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors}");
        }
    }
}
