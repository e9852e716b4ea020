using System.Text;
using Duplicity.Files;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Files;

[Category("Unit")]
public class PosixTests
{
    private static bool IsRoot => Posix.GetEffectiveUserId() == 0;

    [Test]
    public void LstatReportsTypeModeSizeAndTime()
    {
        using var tree = new ScratchTree();
        var file = tree.File("f", "hello");
        Posix.Chmod(file, 0xDED); // 06755
        Posix.SetModificationTime(file, 1_234_567_890, 500);
        var st = Posix.Lstat(file);
        Assert.Multiple(() =>
        {
            Assert.That(st.IsRegular, Is.True);
            Assert.That(st.Mode & 0xFFF, Is.EqualTo(0xDED));
            Assert.That(st.Size, Is.EqualTo(5));
            Assert.That(st.MTimeSeconds, Is.EqualTo(1_234_567_890));
            Assert.That(st.MTimeNanoseconds, Is.EqualTo(500));
            Assert.That(st.Inode, Is.Not.Zero);
            Assert.That(st.DeviceId, Is.EqualTo(Posix.Lstat(tree.Root).DeviceId));
        });
    }

    [Test]
    public void LstatDoesNotFollowButStatDoes()
    {
        using var tree = new ScratchTree();
        tree.Dir("d");
        var link = tree.PathOf("l");
        Posix.Symlink("d"u8, link);
        Assert.That(Posix.Lstat(link).IsSymlink, Is.True);
        Assert.That(Posix.Stat(link).IsDirectory, Is.True);
        Assert.That(Posix.ReadLink(link), Is.EqualTo("d"u8.ToArray()));
    }

    [Test]
    public void NamesAndLinkTargetsThatAreNotUtf8SurviveAsBytes()
    {
        using var tree = new ScratchTree();
        byte[] name = [0xff, 0xfe, (byte)'n', 0x80];
        tree.File(name);
        var link = tree.PathOf("link");
        byte[] target = [(byte)'x', 0xff, 0xc3];
        Posix.Symlink(target, link);
        var names = Posix.ReadDirectory(tree.Root);
        Assert.That(names, Has.Some.EqualTo(name));
        Assert.That(names, Has.Count.EqualTo(2), "no . or ..");
        Assert.That(Posix.ReadLink(link), Is.EqualTo(target));
        Assert.That(Posix.TryLstat(tree.PathOf(name), out var st), Is.True);
        Assert.That(st.IsRegular, Is.True);
    }

    [Test]
    public void FailuresCarryErrnoAndPath()
    {
        using var tree = new ScratchTree();
        var missing = tree.PathOf("missing");
        var e = Assert.Throws<PosixException>(() => Posix.Lstat(missing))!;
        Assert.That(e.Errno, Is.EqualTo(PosixException.ENOENT));
        Assert.That(e.Path, Does.EndWith("missing"));
        Assert.That(Posix.TryLstat(missing, out _, out int errno), Is.False);
        Assert.That(errno, Is.EqualTo(PosixException.ENOENT));
        var file = tree.File("f");
        Assert.That(Assert.Throws<PosixException>(() => Posix.ReadDirectory(file))!.Errno, Is.EqualTo(PosixException.ENOTDIR));
        Assert.That(Assert.Throws<PosixException>(() => Posix.CreateExclusive(file, 0x1A4))!.Errno, Is.EqualTo(PosixException.EEXIST));
        Assert.Throws<PosixException>(() => Posix.Lstat("a\0b"u8.ToArray().Concat(new byte[] { (byte)'c' }).ToArray()));
    }

    [Test]
    public void OpenReadRefusesSymlinks()
    {
        using var tree = new ScratchTree();
        tree.File("f", "data");
        var link = tree.PathOf("l");
        Posix.Symlink("f"u8, link);
        Assert.That(Assert.Throws<PosixException>(() => Posix.OpenRead(link).Dispose())!.Errno, Is.EqualTo(PosixException.ELOOP));
        Assert.That(ScratchTree.ReadText(tree.PathOf("f")), Is.EqualTo("data"));
    }

    [Test]
    public void LongNamesUpTo255BytesWork()
    {
        using var tree = new ScratchTree();
        var name = Encoding.ASCII.GetBytes(new string('n', 255));
        tree.File(name);
        Assert.That(Posix.ReadDirectory(tree.Root).Single(), Is.EqualTo(name));
        var tooLong = Encoding.ASCII.GetBytes(new string('n', 256));
        Assert.That(Assert.Throws<PosixException>(() => tree.File(tooLong))!.Errno, Is.EqualTo(36), "ENAMETOOLONG");
    }

    [Test]
    public void FifoIsReportedAsFifo()
    {
        using var tree = new ScratchTree();
        var fifo = tree.PathOf("p");
        Posix.Mkfifo(fifo, 0x1A4);
        Assert.That(Posix.Lstat(fifo).EntryType, Is.EqualTo(FileEntryType.Fifo));
    }

    [Test]
    public void DeviceNumbersRoundTrip()
    {
        if (!IsRoot) Requirement.Missing("mknod of devices needs root");
        using var tree = new ScratchTree();
        var chr = tree.PathOf("c");
        var blk = tree.PathOf("b");
        Posix.Mknod(chr, FileEntryType.CharacterDevice, 0x1A4, 1, 3);
        Posix.Mknod(blk, FileEntryType.BlockDevice, 0x180, 259, 300000);
        var c = Posix.Lstat(chr);
        var b = Posix.Lstat(blk);
        Assert.That((c.EntryType, c.RdevMajor, c.RdevMinor), Is.EqualTo((FileEntryType.CharacterDevice, 1u, 3u)));
        Assert.That((b.EntryType, b.RdevMajor, b.RdevMinor), Is.EqualTo((FileEntryType.BlockDevice, 259u, 300000u)));
    }

    [Test]
    public void RenameAndRemove()
    {
        using var tree = new ScratchTree();
        var a = tree.File("a", "A");
        var b = tree.File("b", "B");
        Posix.Rename(a, b);
        Assert.That(ScratchTree.ReadText(b), Is.EqualTo("A"));
        Assert.That(Posix.TryLstat(a, out _), Is.False);
        var d = tree.Dir("d");
        tree.File("d/x");
        Assert.That(Assert.Throws<PosixException>(() => Posix.Rmdir(d))!.Errno, Is.EqualTo(PosixException.ENOTEMPTY));
        Posix.Unlink(tree.PathOf("d/x"));
        Posix.Rmdir(d);
        Assert.That(Posix.ReadDirectory(tree.Root), Has.Count.EqualTo(1));
    }

    [Test]
    public void OwnerNamesResolveBothWays()
    {
        Assert.That(OwnerNames.GetUserName(0), Is.EqualTo("root"));
        Assert.That(OwnerNames.GetGroupName(0), Is.EqualTo("root"));
        Assert.That(OwnerNames.GetUserId("root"), Is.EqualTo(0u));
        Assert.That(OwnerNames.GetGroupId("root"), Is.EqualTo(0u));
        Assert.That(OwnerNames.GetUserId("no-such-user-xyz"), Is.Null);
        Assert.That(OwnerNames.GetUserName(3_999_999_999), Is.Null);
        var nobody = OwnerNames.GetUserId("nobody");
        if (nobody is { } id) Assert.That(OwnerNames.GetUserName(id), Is.EqualTo("nobody"));
    }
}
