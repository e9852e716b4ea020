using System.Text;
using Duplicity.Files;
using Duplicity.Tests.Support;
using static Duplicity.Tests.Sessions.Hostile.HostileVolume;

namespace Duplicity.Tests.Sessions.Hostile;

/// <summary>
/// The root entry (<c>snapshot/.</c>) is the target itself: in a tree restore it must be a directory,
/// and only a single-object restore (--file-to-restore) may turn the target into something else,
/// never through a link that is already there.
/// </summary>
[Category("Fault")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class HostileRootEntryTests
{
    private static PosixStat? LstatOrNull(string path) => Posix.TryLstat(Encoding.UTF8.GetBytes(path), out var st) ? st : null;

    private static void AssertNothingNamedAnywhere(TempFolder tmp, string name) =>
        Assert.That(Directory.EnumerateFiles(tmp.Path, name, new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }), Is.Empty);

    [TestCase(false, false)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    [TestCase(true, true)]
    public async Task ARootEntryThatIsASymlinkIsRefusedAndNothingIsWrittenThroughIt(bool absolute, bool targetExists)
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        var target = tmp.Sub("target");
        if (targetExists) Directory.CreateDirectory(target);
        var backend = Backend(
            Link("snapshot/.", absolute ? outside.Path : "outside"),
            Dir("snapshot/sub", 0x1FF),
            File("snapshot/sub/pwned.txt", "evil\n", 0x9ED),
            File("snapshot/secret.txt", "overwritten\n", 0x1FF));

        await HostileRestore.FailsWithAsync<ArchiveCorruptException>(backend, target, tmp.Sub("cache"), force: targetExists);

        outside.AssertUnchanged();
        var st = LstatOrNull(target);
        Assert.That(st == null || st.Value.IsDirectory, Is.True, "the target never becomes the link");
        AssertNothingNamedAnywhere(tmp, "pwned.txt");
    }

    [TestCase("file")]
    [TestCase("fifo")]
    [TestCase("device")]
    public async Task ARootEntryThatIsNotADirectoryIsRefusedInATreeRestore(string kind)
    {
        if (kind == "device" && Posix.GetEffectiveUserId() != 0) Requirement.Missing("only root can make device nodes");
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        var root = kind switch
        {
            "file" => File("snapshot/.", "x\n"),
            "fifo" => Fifo("snapshot/."),
            _ => CharDevice("snapshot/.", 1, 3),
        };
        var backend = Backend(root, File("snapshot/pwned.txt", "evil\n"));

        var error = await HostileRestore.FailsWithAsync<ArchiveCorruptException>(backend, tmp.Sub("target"), tmp.Sub("cache"));

        Assert.That(error.Message, Does.Contain("root entry"));
        outside.AssertUnchanged();
        Assert.That(LstatOrNull(tmp.Sub("target")), Is.Null, "nothing is made at the target");
        AssertNothingNamedAnywhere(tmp, "pwned.txt");
    }

    [Test]
    public async Task ASingleFileRestoreReplacesALinkAtTheTargetInsteadOfWritingThroughIt()
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        var target = tmp.Sub("target");
        System.IO.File.CreateSymbolicLink(target, Path.Combine(outside.Path, "secret.txt"));
        var backend = Backend(Dir("snapshot/./"), File("snapshot/f.txt", "restored\n", 0x180));

        var (result, error) = await HostileRestore.RunAsync(backend, target, tmp.Sub("cache"), path: "f.txt", force: true);

        Assert.That(error, Is.Null);
        Assert.That(result!.ObjectsRestored, Is.EqualTo(1));
        outside.AssertUnchanged();
        Assert.That(LstatOrNull(target)!.Value.IsRegular, Is.True);
        Assert.That(System.IO.File.ReadAllText(target), Is.EqualTo("restored\n"));
        Assert.That(System.IO.File.GetUnixFileMode(target), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public async Task ASingleSymlinkRestoreMakesTheLinkButNothingBelowIt()
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        var target = tmp.Sub("target");
        var backend = Backend(Dir("snapshot/./"), Link("snapshot/link", outside.Path), File("snapshot/link/pwned.txt", "evil\n"));

        await HostileRestore.FailsWithAsync<UnsafePathException>(backend, target, tmp.Sub("cache"), path: "link");

        outside.AssertUnchanged();
        Assert.That(LstatOrNull(target)!.Value.IsSymlink, Is.True, "the link itself is the single restored object");
        Assert.That(System.IO.File.ResolveLinkTarget(target, returnFinalTarget: false)!.FullName, Is.EqualTo(outside.Path));
        AssertNothingNamedAnywhere(tmp, "pwned.txt");
    }

    [TestCase("fifo")]
    [TestCase("device")]
    public async Task ASingleSpecialFileRestoreCreatesItAtTheTarget(string kind)
    {
        if (kind == "device" && Posix.GetEffectiveUserId() != 0) Requirement.Missing("only root can make device nodes");
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        var target = tmp.Sub("target");
        var backend = Backend(Dir("snapshot/./"), kind == "fifo" ? Fifo("snapshot/obj") : CharDevice("snapshot/obj", 1, 3));

        var (result, error) = await HostileRestore.RunAsync(backend, target, tmp.Sub("cache"), path: "obj");

        Assert.That(error, Is.Null);
        Assert.That(result!.ObjectsRestored, Is.EqualTo(1));
        var st = LstatOrNull(target)!.Value;
        Assert.That(st.EntryType, Is.EqualTo(kind == "fifo" ? FileEntryType.Fifo : FileEntryType.CharacterDevice));
        if (kind == "device") Assert.That((st.RdevMajor, st.RdevMinor), Is.EqualTo((1u, 3u)));
        outside.AssertUnchanged();
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task ATargetThatIsASymlinkIsNeverFollowed(bool absolute)
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        var target = tmp.Sub("target");
        System.IO.File.CreateSymbolicLink(target, absolute ? outside.Path : "outside");
        var backend = Backend(Dir("snapshot/./", 0x1FF), File("snapshot/secret.txt", "overwritten\n", 0x1FF), Dir("snapshot/sub", 0x1FF));

        var error = await HostileRestore.FailsWithAsync<UnsafeTargetException>(backend, target, tmp.Sub("cache"), force: true);

        Assert.That(error.Code, Is.EqualTo(DuplicityErrorCode.UserError));
        outside.AssertUnchanged();
        Assert.That(LstatOrNull(target)!.Value.IsSymlink, Is.True);
    }
}
