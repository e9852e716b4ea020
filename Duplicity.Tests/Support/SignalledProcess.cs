using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Duplicity.Tests.Support;

/// <summary>Runs a program until a condition holds, then sends it a signal: a run interrupted at a known point.</summary>
public static partial class SignalledProcess
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>How the run ended; <c>Signalled</c> is false when the program exited before the condition held.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError, bool Signalled);

    /// <summary>
    /// Starts <paramref name="program"/>, polls <paramref name="condition"/> until it holds (then sends
    /// <paramref name="signal"/>) or the program exits, and waits for the exit.
    /// </summary>
    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, IDictionary<string, string?>? environment,
        Func<bool> condition, int signal, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        psi.Environment["TZ"] = "UTC";
        if (environment != null)
            foreach (var (k, v) in environment)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        bool signalled = false;
        while (!process.HasExited)
        {
            if (condition())
            {
                signalled = Kill(process.Id, signal) == 0;
                break;
            }
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{program}: the condition did not hold in time");
            }
            await Task.Delay(5);
        }
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(cts.Token);
        return new Result(process.ExitCode, await stdout, await stderr, signalled);
    }

    /// <summary>The built console: <c>dotnet duplicity-net.dll</c> and its first arguments.</summary>
    public static (string Program, string[] Prefix) Console() =>
        (ExternalTool.Require("dotnet"), [Path.Combine(TestContext.CurrentContext.TestDirectory, "duplicity-net.dll")]);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
