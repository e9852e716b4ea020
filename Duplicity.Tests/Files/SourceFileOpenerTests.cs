using System.Text;
using Duplicity.Files;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Files;

/// <summary>A source file swapped between the walk's lstat and the open is refused, never followed and never waited on.</summary>
[TestFixture]
[Category("Fault")]
public class SourceFileOpenerTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Test]
    public void TheFileTheWalkSawOpensForNormalBlockingReads()
    {
        using var tmp = new TempFolder();
        var path = tmp.Sub("f");
        File.WriteAllText(path, "content");
        var walked = Posix.Lstat(B(path));

        using var handle = SourceFileOpener.Open(B(path), walked);

        var buffer = new byte[16];
        Assert.That(RandomAccess.Read(handle, buffer, 0), Is.EqualTo(7));
        int flags = PosixNative.FcntlInt((int)handle.DangerousGetHandle(), PosixNative.F_GETFL, 0);
        Assert.That(flags & PosixNative.O_NONBLOCK, Is.Zero, "O_NONBLOCK cleared for a regular file");
    }

    [Test]
    public void AFileReplacedByAFifoIsRefusedAtOnce()
    {
        using var tmp = new TempFolder();
        var path = tmp.Sub("f");
        File.WriteAllText(path, "content");
        var walked = Posix.Lstat(B(path));
        File.Delete(path);
        Posix.Mkfifo(B(path), 0x1A4);

        // A blocking open of a FIFO without a writer would never return.
        var open = Task.Run(() => SourceFileOpener.Open(B(path), walked));
        Assert.That(Task.WhenAny(open, Task.Delay(TimeSpan.FromSeconds(5))).Result, Is.SameAs(open), "the open returned");
        var e = Assert.Throws<SourceFileChangedException>(() => open.GetAwaiter().GetResult());
        Assert.That(e!.FoundTypeBits, Is.EqualTo(PosixStat.FifoBits));
    }

    [Test]
    public void AFileReplacedByASymlinkIsRefusedAndNotFollowed()
    {
        using var tmp = new TempFolder();
        var path = tmp.Sub("f");
        var secret = tmp.Sub("secret");
        File.WriteAllText(secret, "other user's secret");
        File.WriteAllText(path, "content");
        var walked = Posix.Lstat(B(path));
        File.Delete(path);
        File.CreateSymbolicLink(path, secret);

        var e = Assert.Throws<SourceFileChangedException>(() => SourceFileOpener.Open(B(path), walked));
        Assert.That(e!.FoundTypeBits, Is.EqualTo(PosixStat.SymlinkBits));
    }

    [Test]
    public void AFileReplacedByAnotherRegularFileIsRefused()
    {
        using var tmp = new TempFolder();
        var path = tmp.Sub("f");
        File.WriteAllText(path, "content");
        var walked = Posix.Lstat(B(path));
        File.WriteAllText(tmp.Sub("g"), "swapped in");
        File.Move(tmp.Sub("g"), path, overwrite: true);

        var e = Assert.Throws<SourceFileChangedException>(() => SourceFileOpener.Open(B(path), walked));
        Assert.That(e!.FoundTypeBits, Is.EqualTo(PosixStat.RegularBits));
    }

    [Test]
    public void AVanishedFileFailsWithItsErrno()
    {
        using var tmp = new TempFolder();
        var path = tmp.Sub("f");
        File.WriteAllText(path, "content");
        var walked = Posix.Lstat(B(path));
        File.Delete(path);

        var e = Assert.Throws<PosixException>(() => SourceFileOpener.Open(B(path), walked));
        Assert.That(e!.Errno, Is.EqualTo(PosixException.ENOENT));
    }
}
