namespace Duplicity.Tests.Support.Faults;

/// <summary>
/// The built console (duplicity-net.dll) as a child process, so that a test can let it die by SIGKILL at a
/// crash point (<c>DUPLICITY_NET_TEST_CRASH_POINT</c>, read only by the console; see
/// Duplicity.Samples/TestHooks/CrashPoint.cs) without taking the test process with it.
/// </summary>
public static class ChildConsole
{
    /// <summary>The exit code of a process that ended by SIGKILL, as .NET reports it (128 + 9).</summary>
    public const int KilledExitCode = 137;

    /// <summary>Runs the console; past <paramref name="timeout"/> (2 min by default) it is killed and the exit code is <see cref="ExternalTool.TimedOut"/>.</summary>
    public static Task<ExternalTool.Result> RunAsync(string? crashPoint, IReadOnlyDictionary<string, string?>? environment, string[] arguments,
        TimeSpan? timeout = null)
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "duplicity-net.dll");
        var env = new Dictionary<string, string?>
        {
            ["DUPLICITY_NET_TEST_CRASH_POINT"] = crashPoint, ["DOTNET_NOLOGO"] = "1", ["PASSPHRASE"] = null,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            env[name] = value;
        return ExternalTool.RunAsync(ExternalTool.Require("dotnet"), [dll, .. arguments], env, timeout: timeout ?? TimeSpan.FromMinutes(2), failOnTimeout: false);
    }
}
