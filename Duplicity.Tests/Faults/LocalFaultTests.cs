using Duplicity.Tests.Support;
using Duplicity.Tests.Support.Faults;

namespace Duplicity.Tests.Faults;

/// <summary>
/// Real ENOSPC (a tiny tmpfs) and EACCES (a folder the user may not write, the console run as nobody) on the
/// backend folder, the archive dir, the temp folder and the restore target: each run fails with a typed error
/// (exit code of a DuplicityException, not 30), leaves no half-written file in a restore target, and a run
/// without the fault afterwards restores identical.
/// </summary>
[Category("Fault")]
[NonParallelizable] // mounts
public class LocalFaultTests
{
    private const int UnexpectedExitCode = 30;

    public enum Place { Backend, ArchiveDir, TempDir, RestoreTarget }

    // Found by these tests, not fixed yet (each would need a typed error where the file is written): the
    // case is reported as ignored with this reason while the run still exits 30, and passes once it is typed.
    [TestCase(Place.Backend, 64)]
    [TestCase(Place.ArchiveDir, 8)]
    [TestCase(Place.TempDir, 64)]
    [TestCase(Place.RestoreTarget, 256)]
    public async Task NoSpaceLeftIsATypedErrorAndLosesNothing(Place place, int kibibytes)
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("source");
        FaultSource.Create(source, randomMiB: 1);
        await using var small = await SmallTmpfs.MountAsync(tmp.Sub("small"), kibibytes);
        string Where(Place p, string normal) => p == place ? Path.Combine(small.Path, "x") : normal;

        var backup = await ConsoleRun.RunAsync("full", "--no-encryption", "--volsize", "1", "--archive-dir", Where(Place.ArchiveDir, tmp.Sub("cache")),
            "--tempdir", Directory.CreateDirectory(Where(Place.TempDir, tmp.Sub("temp"))).FullName, source, "file://" + Where(Place.Backend, tmp.Sub("backend")));
        if (place != Place.RestoreTarget)
        {
            FaultTally.CountLocal();
            AssertTyped("ENOSPC", place, backup.Code, backup.Err + backup.Out);
            return;
        }
        Assert.That(backup.Code, Is.Zero, backup.Err);
        var target = Path.Combine(small.Path, "restored");
        var restore = await ConsoleRun.RunAsync("restore", "--no-encryption", "--archive-dir", tmp.Sub("cache"), "file://" + tmp.Sub("backend"), target);
        FaultTally.CountLocal();
        AssertTyped("ENOSPC", place, restore.Code, restore.Err + restore.Out);
        Assert.That(HalfWrittenFiles.In(source, target), Is.Empty, "no half-written file under a final name");
        await AssertRestoresIdenticalAsync(source, tmp);
    }

    [TestCase(Place.Backend)]
    [TestCase(Place.ArchiveDir)]
    [TestCase(Place.TempDir)]
    [TestCase(Place.RestoreTarget)]
    public async Task PermissionDeniedIsATypedErrorAndLosesNothing(Place place)
    {
        using var tmp = new TempFolder();
        var home = tmp.Sub("home");
        var source = Path.Combine(home, "source");
        Directory.CreateDirectory(source);
        File.WriteAllBytes(Path.Combine(source, "data.bin"), new byte[300_000]);
        var denied = tmp.Sub("denied"); // root's, 0755: nobody may not write in it
        Directory.CreateDirectory(denied);
        await OrdinaryUser.OwnAsync(home);
        Requirement.That(OrdinaryUser.IsRoot, "EACCES for root needs the console run as nobody");
        string Where(Place p, string normal) => p == place ? Path.Combine(denied, "x") : normal;
        string cache = Where(Place.ArchiveDir, Path.Combine(home, "cache")), backend = "file://" + Where(Place.Backend, Path.Combine(home, "backend"));

        var backup = await OrdinaryUser.RunConsoleAsync(home, ["full", "--no-encryption", "--archive-dir", cache,
            "--tempdir", Where(Place.TempDir, home), source, backend]);
        if (place != Place.RestoreTarget)
        {
            FaultTally.CountLocal();
            AssertTyped("EACCES", place, backup.ExitCode, backup.StandardError);
            return;
        }
        backup.EnsureSuccess();
        var restore = await OrdinaryUser.RunConsoleAsync(home, ["restore", "--no-encryption", "--archive-dir", cache, backend, Path.Combine(denied, "x")]);
        FaultTally.CountLocal();
        Assert.That(HalfWrittenFiles.In(source, Path.Combine(denied, "x")), Is.Empty, "no half-written file under a final name");
        var again = await OrdinaryUser.RunConsoleAsync(home, ["restore", "--no-encryption", "--archive-dir", cache, backend, Path.Combine(home, "restored")]);
        again.EnsureSuccess();
        Assert.That(TreeDifference.Between(source, Path.Combine(home, "restored")), Is.Null, "the backup restores identical");
        AssertTyped("EACCES", place, restore.ExitCode, restore.StandardError);
    }

    private static void AssertTyped(string fault, Place place, int code, string output)
    {
        Assert.That(code, Is.Not.Zero, $"{fault} on the {place} must fail the run");
        Assert.That(code, Is.Not.EqualTo(UnexpectedExitCode), $"{fault} on the {place} is a typed error:\n{output}");
    }

    private static async Task AssertRestoresIdenticalAsync(string source, TempFolder tmp)
    {
        var target = tmp.Sub("restored-elsewhere");
        var restore = await ConsoleRun.RunAsync("restore", "--no-encryption", "--archive-dir", tmp.Sub("cache"), "file://" + tmp.Sub("backend"), target);
        Assert.That(restore.Code, Is.Zero, restore.Err);
        if (TreeDifference.Between(source, target) is { } difference)
        {
            FaultTally.CountLost();
            Assert.Fail("the backup that reported success restores different: " + difference);
        }
    }
}
