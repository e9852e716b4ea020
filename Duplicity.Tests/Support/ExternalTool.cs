using System.Diagnostics;

namespace Duplicity.Tests.Support;

/// <summary>Runs a real reference tool (duplicity, rdiff, gpg) and captures its output.</summary>
public static class ExternalTool
{
    /// <summary>The tool's full path, or an ignored (locally) / failed (CI) test when it is missing.</summary>
    public static string Require(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        var reason = $"'{name}' is not installed (run scripts/install-test-tools.sh)";
        Requirement.Missing(reason);
        return null!;
    }

    /// <summary>Result of a finished process.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Fails the test unless the exit code is 0.</summary>
        public Result EnsureSuccess()
        {
            if (ExitCode != 0) Assert.Fail($"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            return this;
        }
    }

    /// <summary>The exit code of a run killed after its timeout when the caller asked not to fail (<c>failOnTimeout: false</c>).</summary>
    public const int TimedOut = -1;

    /// <summary>
    /// Runs a program with arguments (no shell), waiting at most <paramref name="timeout"/>; past it the
    /// process is killed and the test fails, or, with <paramref name="failOnTimeout"/> false, the result
    /// has exit code <see cref="TimedOut"/> and the output so far.
    /// </summary>
    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments,
        IDictionary<string, string?>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null, bool failOnTimeout = true)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
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
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (failOnTimeout) Assert.Fail($"{program} timed out");
            await process.WaitForExitAsync();
            return new Result(TimedOut, await stdout, await stderr);
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
