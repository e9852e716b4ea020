using System.Runtime.InteropServices;
using System.Text;
using Duplicity.Files;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Files;

/// <summary>Lookups relative to an open directory never follow a symlink nor leave the directory.</summary>
[Category("Unit")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class DirectoryHandleTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Test]
    public void OpeningAChildThatIsASymlinkToADirectoryFails()
    {
        using var tmp = new TempFolder();
        Directory.CreateDirectory(tmp.Sub("real"));
        System.IO.File.CreateSymbolicLink(tmp.Sub("link"), tmp.Sub("real"));
        using var dir = DirectoryHandle.OpenPath(B(tmp.Path), followLast: false);

        Assert.That(dir.TryOpenChild(B("real"), out var real, out _), Is.True);
        real!.Dispose();
        // Only right when O_NOFOLLOW and O_DIRECTORY have this architecture's values.
        Assert.That(dir.TryOpenChild(B("link"), out var link, out int errno), Is.False);
        Assert.That(link, Is.Null);
        Assert.That(errno, Is.AnyOf(PosixException.ELOOP, PosixException.ENOTDIR));
    }

    [Test]
    public void OpeningAPathWhoseLastComponentIsASymlinkFails()
    {
        using var tmp = new TempFolder();
        Directory.CreateDirectory(tmp.Sub("real"));
        System.IO.File.CreateSymbolicLink(tmp.Sub("link"), tmp.Sub("real"));
        var e = Assert.Throws<PosixException>(() => DirectoryHandle.OpenPath(B(tmp.Sub("link")), followLast: false));
        Assert.That(e!.Errno, Is.AnyOf(PosixException.ELOOP, PosixException.ENOTDIR));
        using var followed = DirectoryHandle.OpenPath(B(tmp.Sub("link")), followLast: true);
    }

    [Test]
    public void OpenBeneathDescendsSeveralLevelsButNeitherThroughALinkNorUpwards()
    {
        using var tmp = new TempFolder();
        Directory.CreateDirectory(tmp.Sub("root/a/b/c"));
        Directory.CreateDirectory(tmp.Sub("outside/b"));
        System.IO.File.CreateSymbolicLink(tmp.Sub("root/link"), tmp.Sub("outside"));
        System.IO.File.CreateSymbolicLink(tmp.Sub("root/a/rel"), "../../outside");
        using var root = DirectoryHandle.OpenPath(B(tmp.Sub("root")), followLast: false);

        if (!root.TryOpenBeneath(B("a/b/c"), out var deep, out int errno) && errno == PosixException.ENOSYS)
            Requirement.Missing("this kernel has no openat2; the writer uses the level-by-level walk");
        Assert.That(deep, Is.Not.Null, $"errno {errno}");
        deep!.Dispose();
        Assert.That(root.TryOpenBeneath(B("link/b"), out _, out errno), Is.False);
        Assert.That(errno, Is.EqualTo(PosixException.ELOOP));
        Assert.That(root.TryOpenBeneath(B("a/rel/b"), out _, out errno), Is.False);
        Assert.That(errno, Is.EqualTo(PosixException.ELOOP));
        Assert.That(root.TryOpenBeneath(B("a/../../outside"), out _, out errno), Is.False);
        Assert.That(errno, Is.EqualTo(PosixException.EXDEV));
    }

    [Test]
    public void OpenFlagValuesFollowTheKernelHeadersPerArchitecture()
    {
        (int, int) generic = (0x10000, 0x20000), armPower = (0x4000, 0x8000);
        Assert.Multiple(() =>
        {
            Assert.That(OpenFlags.ValuesFor(Architecture.X64), Is.EqualTo(generic));
            Assert.That(OpenFlags.ValuesFor(Architecture.X86), Is.EqualTo(generic));
            Assert.That(OpenFlags.ValuesFor(Architecture.S390x), Is.EqualTo(generic));
            Assert.That(OpenFlags.ValuesFor(Architecture.RiscV64), Is.EqualTo(generic));
            Assert.That(OpenFlags.ValuesFor(Architecture.LoongArch64), Is.EqualTo(generic));
            Assert.That(OpenFlags.ValuesFor(Architecture.Arm64), Is.EqualTo(armPower));
            Assert.That(OpenFlags.ValuesFor(Architecture.Arm), Is.EqualTo(armPower));
            Assert.That(OpenFlags.ValuesFor(Architecture.Armv6), Is.EqualTo(armPower));
            Assert.That(OpenFlags.ValuesFor(Architecture.Ppc64le), Is.EqualTo(armPower));
            Assert.That(OpenFlags.ValuesFor(Architecture.Wasm), Is.Null, "unknown architectures are refused, not guessed");
        });
    }
}
