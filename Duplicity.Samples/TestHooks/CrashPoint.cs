using System.Globalization;

namespace Duplicity.Samples.TestHooks;

/// <summary>
/// TEST ONLY. One place in a run where the console kills itself with SIGKILL, named by the environment
/// variable <see cref="Variable"/> as <c>op:kind:n:when</c>, for the crash-point tests
/// (Duplicity.Tests/Faults). op is put, get or delete; kind is difftar, sigtar, manifest or any (matched
/// against the backend file name); n counts matching calls from 1; when is before, after, or bytes=N
/// (after N bytes of the n-th call's content went through). Unset, the console behaves as always.
/// </summary>
/// <remarks>
/// A real SIGKILL (not an exception) so that nothing of the console's own clean-up runs, as when a laptop
/// loses power or cron kills a job; the point is precise (a named file, a byte count), which watching the
/// backend from outside could not be.
/// </remarks>
internal sealed record CrashPoint(string Operation, string Kind, int Count, string When, long Bytes)
{
    /// <summary>The environment variable read once per run.</summary>
    public const string Variable = "DUPLICITY_NET_TEST_CRASH_POINT";

    /// <summary>The crash point of this process, or null when the variable is unset or empty.</summary>
    public static CrashPoint? FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } text ? Parse(text) : null;

    /// <summary>Parses <c>op:kind:n:when</c>; a malformed value is a programming error of the test.</summary>
    public static CrashPoint Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 4 || parts[0] is not ("put" or "get" or "delete")
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            throw new ArgumentException($"{Variable} must be op:kind:n:when, not '{text}'");
        long bytes = 0;
        var when = parts[3];
        if (when.StartsWith("bytes=", StringComparison.Ordinal))
        {
            bytes = long.Parse(when["bytes=".Length..], NumberStyles.None, CultureInfo.InvariantCulture);
            when = "bytes";
        }
        else if (when is not ("before" or "after"))
            throw new ArgumentException($"{Variable}: when must be before, after or bytes=N, not '{parts[3]}'");
        return new CrashPoint(parts[0], parts[1], count, when, bytes);
    }

    /// <summary>Whether a call of <paramref name="operation"/> on <paramref name="name"/> is of the kind counted.</summary>
    public bool Matches(string operation, string name) =>
        operation == Operation && (Kind == "any" || name.Contains("." + Kind, StringComparison.Ordinal));

    /// <summary>SIGKILL on Unix: the process ends here, nothing after this line runs.</summary>
    public static void KillThisProcess()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        self.Kill();
        Thread.Sleep(Timeout.Infinite);
    }
}
