using Duplicity.Tests.Support;
using Duplicity.Tests.Support.Faults;

namespace Duplicity.Tests.Faults;

/// <summary>
/// Backups and restores through a <see cref="FaultProxy"/>: each either completes (a restore equal to the
/// source of the last backup that reported success) or fails with a typed error (any exit code but 30,
/// the console's code for an exception that is not a DuplicityException) and no half-written file; at the
/// end, with the proxy forwarding cleanly, the last successful backup must restore identical.
/// </summary>
/// <remarks><c>otherProxies</c>: further proxies on the way (an identity service's), calmed with the main one for the last restore.</remarks>
internal sealed class ProxiedRoundTrip(FaultProxy proxy, string url, IReadOnlyDictionary<string, string?> environment, string[] options, params FaultProxy[] otherProxies)
{
    private const int UnexpectedExitCode = 30;
    private string _logs = "";
    private int _runs;

    // Far more than a run needs even with every retry: past it, the run hangs (a missing read timeout).
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(60);

    /// <summary>A full of one tree, then incrementals of a changed tree, each followed by a restore.</summary>
    public async Task RunAsync(int backups)
    {
        TestContext.Progress.WriteLine($"Fault proxy seed {proxy.Seed} (replay with DUPLICITY_FAULT_SEED={proxy.Seed}) for {url}");
        using var tmp = new TempFolder();
        _logs = tmp.Path;
        string first = tmp.Sub("source-a"), second = tmp.Sub("source-b");
        FaultSource.Create(first, randomMiB: 2);
        FaultSource.CreateChanged(second, randomMiB: 2, newMiB: 1);
        string? lastGood = null;
        for (int i = 0; i < backups; i++)
        {
            var source = i % 2 == 0 ? first : second;
            var (code, output, err) = await RunAsync([i == 0 ? "full" : "incremental", "--allow-source-mismatch", "--volsize", "1",
                "--archive-dir", tmp.Sub("cache"), "--current-time", $"{1_700_000_000 + i * 100}", source, url]);
            AssertTyped(code, $"backup {i}", output + err);
            if (code == 0) lastGood = source;
            if (lastGood is not null) await RestoreAsync(lastGood, tmp.Sub($"restore-{i}"), tmp.Sub($"restore-cache-{i}"), mustSucceed: false);
        }
        proxy.Enabled = false;
        foreach (var other in otherProxies) other.Enabled = false;
        Assert.That(lastGood, Is.Not.Null, $"no backup succeeded with retries; faults: {string.Join(", ", proxy.Fired)}");
        await RestoreAsync(lastGood!, tmp.Sub("restore-clean"), tmp.Sub("restore-cache-clean"), mustSucceed: true);
        TestContext.Progress.WriteLine($"{proxy.Fired.Count} faults on {proxy.Connections} connections, {proxy.Bytes} bytes: {string.Join(", ", proxy.Fired)}");
    }

    private async Task RestoreAsync(string expected, string target, string cache, bool mustSucceed)
    {
        var (code, output, err) = await RunAsync(["restore", "--archive-dir", cache, url, target]);
        if (mustSucceed) Assert.That(code, Is.Zero, $"restore without faults: {output}{err}");
        AssertTyped(code, "restore", output + err);
        if (code != 0)
        {
            Assert.That(HalfWrittenFiles.In(expected, target), Is.Empty, $"half-written files after a failed restore (seed {proxy.Seed})");
            return;
        }
        if (TreeDifference.Between(expected, target) is { } difference)
        {
            FaultTally.CountLost();
            Assert.Fail($"a backup that reported success restored different (seed {proxy.Seed}, faults {string.Join(", ", proxy.Fired)}): {difference}");
        }
    }

    private void AssertTyped(int code, string what, string text) =>
        Assert.That(IsUntyped(code, text), Is.False,
            $"{what} failed with an untyped error (seed {proxy.Seed}, faults {string.Join(", ", proxy.Fired)}):\n{text}");

    /// <summary>
    /// Exit 30 is the console's code for an exception that is not a DuplicityException, and also duplicity's own
    /// code for a repository with no chain (its CollectionsError). A bit flipped in a listing response (S3 and
    /// Swift listings carry no checksum) can rename the full set's manifest into a name no set owns, so the
    /// backend really shows no chain: that outcome is typed; any other 30, or one with a .NET stack trace, is not.
    /// </summary>
    internal static bool IsUntyped(int code, string text) =>
        code == UnexpectedExitCode
        && (!text.Contains(NoChainMessage, StringComparison.Ordinal) || text.Contains("\n   at ", StringComparison.Ordinal));

    private const string NoChainMessage = "No backup chains found";

    // A child process, so that a run that hangs can be killed at the watchdog; its log file says where it hung.
    private async Task<(int Code, string Out, string Err)> RunAsync(string[] command)
    {
        var log = Path.Combine(_logs, $"run-{++_runs}.log");
        var result = await ChildConsole.RunAsync(null, environment,
            [.. command, "--no-encryption", "--name", "proxied", "--log-file", log, "-v", "9", .. options], Watchdog);
        if (result.ExitCode == ExternalTool.TimedOut)
            Assert.Fail($"{command[0]} hung for {Watchdog.TotalSeconds} s (seed {proxy.Seed}, faults {string.Join(", ", proxy.Fired)}); its log ends:\n" +
                string.Join("\n", File.ReadLines(log).TakeLast(15)));
        return (result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
