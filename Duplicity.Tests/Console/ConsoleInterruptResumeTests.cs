using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>
/// SIGINT, SIGTERM and SIGKILL in the middle of a volume, after volumes were stored: the console exits
/// with duplicity's status for that signal, leaves duplicity's resumable state, and the next run
/// resumes after the last stored volume (or the one before it, when that one was cut short).
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class ConsoleInterruptResumeTests
{
    private const string Name = "interrupt";

    private static readonly Dictionary<string, string?> NoPassphrase = new() { ["PASSPHRASE"] = null };

    /// <summary>Thirty incompressible files: about thirty 1 MiB volumes, so a run is far from its end after three.</summary>
    private static string CreateSource(TempFolder tmp)
    {
        var src = Directory.CreateDirectory(tmp.Sub("src")).FullName;
        var random = new Random(5);
        for (int i = 0; i < 30; i++)
        {
            var bytes = new byte[1_000_000];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(src, $"f{i:D2}.bin"), bytes);
        }
        return src;
    }

    private static int StoredVolumes(string remote) =>
        Directory.Exists(remote) ? Directory.GetFiles(remote, "duplicity-full.*.vol*.difftar.gz").Length : 0;

    /// <summary>The exit status of a full backup run by <paramref name="program"/> and signalled once three volumes are stored.</summary>
    private static async Task<SignalledProcess.Result> InterruptAsync(string program, string[] prefix, string src, string remote, string archive, int signal)
    {
        var run = await SignalledProcess.RunAsync(program,
            [.. prefix, "full", "--no-encryption", "--volsize", "1", "--archive-dir", archive, "--name", Name, src, "file://" + remote],
            NoPassphrase, () => StoredVolumes(remote) >= 3, signal);
        Assert.That(run.Signalled, Is.True, $"{program} was signalled mid-backup\n{run.StandardOutput}{run.StandardError}");
        Assert.That(Directory.GetFiles(remote, "*.manifest*"), Is.Empty, "no manifest: the set is incomplete");
        Assert.That(Directory.GetFiles(Path.Combine(archive, Name), "duplicity-full.*.manifest.part"), Has.Length.EqualTo(1), "the partial manifest is left");
        return run;
    }

    [TestCase(SignalledProcess.SigInt, TestName = "SigintMidVolumeExitsAsDuplicityAndTheNextRunResumes")]
    [TestCase(SignalledProcess.SigTerm, TestName = "SigtermMidVolumeExitsAsDuplicityAndTheNextRunResumes")]
    [TestCase(SignalledProcess.SigKill, TestName = "SigkillMidVolumeLosesAtMostTheVolumeInFlight")]
    public async Task InterruptedConsoleBackupResumes(int signal)
    {
        var duplicity = ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var src = CreateSource(tmp);

        // duplicity's status for this signal at this point, measured rather than assumed.
        var theirs = await InterruptAsync(duplicity, [], src, tmp.Sub("dup-remote"), tmp.Sub("dup-archive"), signal);

        var (console, prefix) = SignalledProcess.Console();
        var remote = tmp.Sub("remote");
        var archive = tmp.Sub("archive");
        var ours = await InterruptAsync(console, prefix, src, remote, archive, signal);
        Assert.That(ours.ExitCode, Is.EqualTo(theirs.ExitCode), $"exit status after signal {signal}\n{ours.StandardOutput}{ours.StandardError}");
        int stored = StoredVolumes(remote);

        var next = await ExternalTool.RunAsync(console, [.. prefix, "--no-encryption", "--volsize", "1", "--archive-dir", archive, "--name", Name, src, "file://" + remote], NoPassphrase);
        next.EnsureSuccess();
        Assert.That(next.StandardOutput, Does.Contain("Last full backup left a partial set, restarting."));
        Assert.That(next.StandardOutput, Does.Match($"Restarting after volume ({stored - 1}|{stored}),"));

        var restored = tmp.Sub("restored");
        (await DuplicityCli.RunAsync(tmp.Sub("restore-cache"), "restore", "--no-encryption", "file://" + remote, restored)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(src)));
    }
}
