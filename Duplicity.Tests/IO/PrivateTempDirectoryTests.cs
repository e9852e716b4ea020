using System.Diagnostics;
using System.Text;
using Duplicity.Files;
using Duplicity.IO;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.IO;

/// <summary>The run's private temp folder: atomic 0700 creation, 0600 files, removal, and the sweep of folders left by killed runs.</summary>
[TestFixture]
[Category("Fault")]
public class PrivateTempDirectoryTests
{
    private static PosixStat Lstat(string path) => Posix.Lstat(Encoding.UTF8.GetBytes(path));

    private static string NameFor(int pid, long start) => $"{PrivateTempDirectory.NamePrefix}{pid}-{start}-AbC123";

    [Test]
    public void FolderIsPrivateNamedAfterThisProcessAndRemovedWithItsContent()
    {
        using var tmp = new TempFolder();
        string path;
        using (var temp = PrivateTempDirectory.Create(tmp.Path))
        {
            path = temp.Path;
            var st = Lstat(path);
            Assert.That(st.IsDirectory, Is.True);
            Assert.That(st.Uid, Is.EqualTo(Posix.GetEffectiveUserId()));
            Assert.That(st.Mode & 0xFFF, Is.EqualTo(0x1C0), "0700");
            Assert.That(Path.GetDirectoryName(path), Is.EqualTo(tmp.Path));
            Assert.That(StaleTempSweeper.TryParseOwner(Path.GetFileName(path), out int pid, out long start), Is.True);
            Assert.That((pid, start), Is.EqualTo((Environment.ProcessId, ProcessStartMarker.Current)));

            using (var f = temp.CreateFile("patch")) f.Write("plaintext"u8);
            Assert.That(Lstat(Directory.GetFiles(path).Single()).Mode & 0xFFF, Is.EqualTo(0x180), "0600");
            Directory.CreateDirectory(Path.Combine(path, "sub"));
            File.WriteAllText(Path.Combine(path, "sub", "x"), "x");
        }
        Assert.That(Directory.Exists(path), Is.False);
    }

    [Test]
    public void RemovalUnlinksSymlinksAndNeverFollowsThem()
    {
        using var tmp = new TempFolder();
        var outside = tmp.Sub("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "keep");
        var temp = PrivateTempDirectory.Create(tmp.Path);
        File.CreateSymbolicLink(Path.Combine(temp.Path, "link-to-dir"), outside);
        File.CreateSymbolicLink(Path.Combine(temp.Path, "link-to-file"), Path.Combine(outside, "keep.txt"));

        temp.Dispose();

        Assert.That(Directory.Exists(temp.Path), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(outside, "keep.txt")), Is.EqualTo("keep"));
    }

    [Test]
    public void NextRunSweepsFoldersOfDeadOrReusedPidsAndKeepsLiveOnesAndForeignNames()
    {
        using var tmp = new TempFolder();
        long own = ProcessStartMarker.Current ?? throw new AssertionException("/proc is required");
        using var exited = Process.Start(new ProcessStartInfo("true"))!;
        exited.WaitForExit();
        int deadPid = exited.Id;
        Assume.That(ProcessStartMarker.Read(deadPid), Is.Null, "the pid of an exited child was reused at once");

        var dead = tmp.Sub(NameFor(deadPid, 12345));
        var reused = tmp.Sub(NameFor(Environment.ProcessId, own + 1)); // our pid, another start time: a previous owner of the pid
        var live = tmp.Sub(NameFor(Environment.ProcessId, own));
        var oldStyle = tmp.Sub(PrivateTempDirectory.NamePrefix + Guid.NewGuid().ToString("N"));
        var unrelated = tmp.Sub("something-else");
        foreach (var d in new[] { dead, reused, live, oldStyle, unrelated }) Directory.CreateDirectory(d);
        Directory.CreateDirectory(Path.Combine(dead, "deep", "er"));
        File.WriteAllText(Path.Combine(dead, "deep", "er", "spill.tmp"), "plaintext");
        // A symlink with a dead-pid name: never followed, never treated as our folder.
        var victim = tmp.Sub("victim");
        Directory.CreateDirectory(victim);
        File.WriteAllText(Path.Combine(victim, "data"), "data");
        var trap = tmp.Sub(NameFor(deadPid, 999));
        File.CreateSymbolicLink(trap, victim);

        using (PrivateTempDirectory.Create(tmp.Path))
        {
            Assert.That(Directory.Exists(dead), Is.False, "dead pid");
            Assert.That(Directory.Exists(reused), Is.False, "pid reused by another process");
            Assert.That(Directory.Exists(live), Is.True, "live process");
            Assert.That(Directory.Exists(oldStyle) && Directory.Exists(unrelated), Is.True);
            Assert.That(File.ReadAllText(Path.Combine(victim, "data")), Is.EqualTo("data"));
            Assert.That(Posix.TryLstat(Encoding.UTF8.GetBytes(trap), out var st) && st.IsSymlink, Is.True);
        }
    }

    [Test]
    public void AnotherUsersLeftoverIsNeverSwept()
    {
        // Only root can make a folder owned by someone else.
        if (Posix.GetEffectiveUserId() != 0)
        {
            const string reason = "needs root to create a folder owned by another user";
            Requirement.Missing(reason);
        }
        using var tmp = new TempFolder();
        var foreign = tmp.Sub(NameFor(int.MaxValue - 1, 1)); // above any pid_max: no such process
        Directory.CreateDirectory(foreign);
        Posix.Lchown(Encoding.UTF8.GetBytes(foreign), 65534, 65534);
        var ours = tmp.Sub(NameFor(int.MaxValue - 2, 1));
        Directory.CreateDirectory(ours);

        using (PrivateTempDirectory.Create(tmp.Path)) { }

        Assert.That(Directory.Exists(foreign), Is.True, "owned by nobody: not ours to remove");
        Assert.That(Directory.Exists(ours), Is.False);
    }

    [Test]
    public void ATempRootThatIsASymlinkIsSweptAtItsTarget()
    {
        using var tmp = new TempFolder();
        var real = tmp.Sub("real");
        Directory.CreateDirectory(real);
        var dead = Path.Combine(real, NameFor(int.MaxValue - 1, 1)); // above any pid_max: no such process
        Directory.CreateDirectory(dead);
        File.CreateSymbolicLink(tmp.Sub("link"), real);

        using (var temp = PrivateTempDirectory.Create(tmp.Sub("link")))
            Assert.That(Directory.Exists(temp.Path), Is.True);

        Assert.That(Directory.Exists(dead), Is.False);
        Assert.That(Directory.EnumerateFileSystemEntries(real), Is.Empty);
    }

    [Test]
    public void StartMarkerIsReadFromProc()
    {
        Assert.That(ProcessStartMarker.Current, Is.GreaterThan(0));
        Assert.That(ProcessStartMarker.Read(Environment.ProcessId), Is.EqualTo(ProcessStartMarker.Current));
        using var child = Process.Start(new ProcessStartInfo("sleep", "5"))!;
        try
        {
            Assert.That(ProcessStartMarker.Read(child.Id), Is.GreaterThanOrEqualTo(ProcessStartMarker.Current!.Value));
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
    }
}
