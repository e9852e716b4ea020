using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;
using Duplicity.Tests.Support.Faults;

namespace Duplicity.Tests.Faults;

/// <summary>
/// The console as a child process, killed with SIGKILL at a named point of a multi-volume full or
/// incremental backup, a cache sync or a retention run; then the same command run again must complete
/// (exit 0), a later incremental must still work (the chain is not wedged), and a restore from a fresh
/// archive dir must equal the source. Holds with or without resume of the interrupted set.
/// </summary>
[Category("Fault")]
[Category("Interop")]
[Parallelizable(ParallelScope.Children)] // the cases wait on child processes and disks more than on the CPU
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "OneTimeSetUp creates and OneTimeTearDown disposes it.")]
public class CrashPointTests
{
    private const long FullTime = 1_700_000_000, SecondFullTime = FullTime + 500, CrashTime = FullTime + 1000;

    private TempFolder _shared = null!;
    private string _sourceFull = null!, _sourceChanged = null!, _oneFull = null!, _twoFulls = null!;

    [OneTimeSetUp]
    public async Task PrepareSourcesAndBackendsAsync()
    {
        _shared = new TempFolder();
        _sourceFull = _shared.Sub("source-full");
        _sourceChanged = _shared.Sub("source-next"); // as long as "source-full": TestTree derives mtimes from path lengths
        FaultSource.Create(_sourceFull, randomMiB: CrashPoints.FullVolumes - 1);
        FaultSource.CreateChanged(_sourceChanged, randomMiB: CrashPoints.FullVolumes - 1, newMiB: CrashPoints.IncrementalVolumes - 1);
        _oneFull = _shared.Sub("one-full");
        await RunOkAsync(Backup("full", _sourceFull, _oneFull, FullTime));
        _twoFulls = _shared.Sub("two-fulls");
        FaultSource.CopyFolder(_oneFull, _twoFulls);
        await RunOkAsync(Backup("full", _sourceChanged, _twoFulls, SecondFullTime));
    }

    [OneTimeTearDown]
    public void RemoveShared() => _shared.Dispose();

    [TestCaseSource(typeof(CrashPoints), nameof(CrashPoints.All))]
    public async Task TheNextRunCompletesAndTheRestoreEqualsTheSource(CrashScenario scenario, string point)
    {
        using var tmp = new TempFolder();
        var state = tmp.Sub("state");
        var (command, source) = Prepare(scenario, state);

        var killed = await ChildConsole.RunAsync(point, null, command(CrashTime));
        Assert.That(killed.ExitCode, Is.EqualTo(ChildConsole.KilledExitCode),
            $"the crash point was not reached:\n{killed.StandardOutput}\n{killed.StandardError}");
        FaultTally.CountCrash();

        var failure = await NextRunsFailureAsync(command, source, state, tmp);
        if (failure is not null) Assert.Fail(failure);
        if (CrashPoints.CheckedWithDuplicity.Contains($"{scenario} {point}"))
            await AssertDuplicityReadsItAsync(state, source, tmp);
    }

    /// <summary>What is wrong after the kill (null when nothing): the rerun, a later incremental, the restore.</summary>
    private static async Task<string?> NextRunsFailureAsync(Func<long, string[]> command, string source, string state, TempFolder tmp)
    {
        var rerun = await ConsoleRun.RunAsync(command(CrashTime + 100));
        if (rerun.Code != 0)
            return $"the next run failed (exit {rerun.Code}):\n{rerun.Err}{rerun.Out}";
        var later = await ConsoleRun.RunAsync(Backup("incremental", source, state, CrashTime + 200));
        if (later.Code != 0)
            return $"a later incremental failed (exit {later.Code}), the chain is wedged:\n{later.Err}{later.Out}";
        var target = tmp.Sub("restored");
        var restore = await ConsoleRun.RunAsync("restore", "--no-encryption", "--archive-dir", tmp.Sub("fresh-cache"), "--name", "crash",
            Url(state), target);
        if (restore.Code != 0)
            return $"the restore failed (exit {restore.Code}):\n{restore.Err}{restore.Out}";
        if (TreeDifference.Between(source, target) is { } difference)
        {
            FaultTally.CountLost();
            return "the restore differs from the source: " + difference;
        }
        return null;
    }

    private (Func<long, string[]> Command, string Source) Prepare(CrashScenario scenario, string state)
    {
        switch (scenario)
        {
            case CrashScenario.Full:
                Directory.CreateDirectory(state);
                return (time => Backup("full", _sourceFull, state, time), _sourceFull);
            case CrashScenario.Incremental:
                FaultSource.CopyFolder(_oneFull, state);
                return (time => Backup("incremental", _sourceChanged, state, time), _sourceChanged);
            case CrashScenario.CacheSync:
                FaultSource.CopyFolder(_oneFull, state);
                Directory.Delete(Path.Combine(state, "cache"), recursive: true);
                return (time => Backup("incremental", _sourceChanged, state, time), _sourceChanged);
            default:
                FaultSource.CopyFolder(_twoFulls, state);
                return (time => ["remove-all-but-n-full", "1", "--force", "--no-encryption", "--archive-dir", Path.Combine(state, "cache"),
                    "--name", "crash", "--current-time", $"{time}", Url(state)], _sourceChanged);
        }
    }

    private static async Task AssertDuplicityReadsItAsync(string state, string source, TempFolder tmp)
    {
        var status = await DuplicityCli.RunAsync(tmp.Sub("duplicity-cache"), "collection-status", "--no-encryption", Url(state));
        Assert.That(status.ExitCode, Is.Zero, status.StandardError + status.StandardOutput);
        var target = tmp.Sub("duplicity-restored");
        (await DuplicityCli.RunAsync(tmp.Sub("duplicity-cache"), "restore", "--no-encryption", Url(state), target)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(target), Is.EqualTo(TreeSnapshot.Describe(source)), "duplicity's restore equals the source");
    }

    /// <summary>
    /// A backup command line of the state folder (backend in state/backend, archive dir in state/cache); the
    /// incrementals back up the changed tree from another folder, which duplicity allows only when told.
    /// </summary>
    private static string[] Backup(string action, string source, string state, long time) =>
        [action, "--no-encryption", "--volsize", "1", "--allow-source-mismatch", "--archive-dir", Path.Combine(state, "cache"), "--name", "crash",
            "--current-time", $"{time}", source, Url(state)];

    private static string Url(string state) => "file://" + Path.Combine(state, "backend");

    private static async Task RunOkAsync(string[] command)
    {
        var (code, output, err) = await ConsoleRun.RunAsync(command);
        Assert.That(code, Is.Zero, err + output);
    }
}
