namespace Duplicity.Tests.Support;

/// <summary>
/// Runs the console as an ordinary user, for behaviour root never sees (permission denied on a
/// folder, unreadable source files, set-id bits dropped). CI runs as root, so these tests drop to
/// <c>nobody</c> with <c>setpriv</c> in a child process instead of being skipped.
/// </summary>
public static class OrdinaryUser
{
    /// <summary>uid and gid of nobody/nogroup on Debian.</summary>
    public const uint Uid = 65534, Gid = 65534;

    private static readonly Lazy<string> ConsoleFolder = new(PrepareConsoleFolder);

    /// <summary>True when this test process runs as root.</summary>
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>
    /// Runs <c>duplicity-net</c> with <paramref name="arguments"/>: as nobody when this process is
    /// root, as this user otherwise. HOME points at <paramref name="home"/>, which the caller makes
    /// writable for that user.
    /// </summary>
    public static Task<ExternalTool.Result> RunConsoleAsync(string home, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var dotnet = ExternalTool.Require("dotnet");
        var dll = Path.Combine(ConsoleFolder.Value, "duplicity-net.dll");
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home, ["TMPDIR"] = home, ["DOTNET_CLI_HOME"] = home, ["DOTNET_NOLOGO"] = "1",
        };
        if (!IsRoot) return ExternalTool.RunAsync(dotnet, [dll, .. arguments], environment, home, timeout);
        var setpriv = ExternalTool.Require("setpriv");
        return ExternalTool.RunAsync(setpriv,
            [$"--reuid={Uid}", $"--regid={Gid}", "--clear-groups", "--", dotnet, dll, .. arguments], environment, home, timeout);
    }

    /// <summary>Gives a path (and everything under it, links not followed) to the user the console runs as.</summary>
    public static async Task OwnAsync(string path)
    {
        if (!IsRoot) return;
        (await ExternalTool.RunAsync(ExternalTool.Require("chown"), ["-hR", $"{Uid}:{Gid}", path])).EnsureSuccess();
    }

    /// <summary>
    /// The test output folder when nobody can reach it; otherwise a world-readable copy of its
    /// assemblies (CI may clone under a folder that only root can enter).
    /// </summary>
    private static string PrepareConsoleFolder()
    {
        string output = TestContext.CurrentContext.TestDirectory;
        if (!IsRoot || EveryAncestorIsSearchable(output)) return output;
        string copy = Path.Combine("/tmp", "dup-test-console-" + Environment.ProcessId);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(output))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)), overwrite: true);
        foreach (var sub in new[] { "runtimes" })
            if (Directory.Exists(Path.Combine(output, sub)))
                CopyTree(Path.Combine(output, sub), Path.Combine(copy, sub));
        return copy;
    }

    private static bool EveryAncestorIsSearchable(string path)
    {
        for (var dir = new DirectoryInfo(path); dir != null; dir = dir.Parent)
            if ((dir.UnixFileMode & UnixFileMode.OtherExecute) == 0) return false;
        return true;
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        foreach (var dir in Directory.EnumerateDirectories(from)) CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
