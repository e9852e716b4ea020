using System.Runtime.InteropServices;
using Duplicity.Files;

namespace Duplicity.Tests.Files.Portable;

/// <summary>The table of Linux C interface numbers that differ by architecture, and the layer selection built on it.</summary>
[Category("Unit")]
public class LinuxAbiTests
{
    [TestCase(Architecture.X64, 0x10000, 0x20000, 8)]
    [TestCase(Architecture.S390x, 0x10000, 0x20000, 8)]
    [TestCase(Architecture.RiscV64, 0x10000, 0x20000, 8)]
    [TestCase(Architecture.LoongArch64, 0x10000, 0x20000, 8)]
    [TestCase(Architecture.X86, 0x10000, 0x20000, 4)]
    [TestCase(Architecture.Arm64, 0x4000, 0x8000, 8)]
    [TestCase(Architecture.Ppc64le, 0x4000, 0x8000, 8)]
    [TestCase(Architecture.Arm, 0x4000, 0x8000, 4)]
    [TestCase(Architecture.Armv6, 0x4000, 0x8000, 4)]
    public void KnownArchitecturesHaveTheirKernelAndGlibcNumbers(Architecture architecture, int directory, int noFollow, int pointerSize)
    {
        var abi = LinuxAbi.For(architecture);
        Assert.That(abi, Is.Not.Null);
        Assert.Multiple(() =>
        {
            // Octal in the kernel headers: asm-generic 0200000/0400000, arm and powerpc 040000/0100000.
            Assert.That(abi!.OpenDirectory, Is.EqualTo(directory));
            Assert.That(abi.OpenNoFollow, Is.EqualTo(noFollow));
            Assert.That(abi.PointerSize, Is.EqualTo(pointerSize));
            // pw_uid / gr_gid follow two char pointers.
            Assert.That(abi.OwnerIdOffset, Is.EqualTo(pointerSize == 8 ? 16 : 8));
        });
    }

    [TestCase(Architecture.Wasm)]
    [TestCase((Architecture)99)]
    public void UnknownArchitecturesAreRefusedNotGuessed(Architecture architecture) =>
        Assert.That(LinuxAbi.For(architecture), Is.Null);

    [Test]
    public void ThisProcessUsesItsOwnRowAndTheNativeLayer()
    {
        Assert.That(LinuxAbi.Current, Is.Not.Null);
        Assert.That(LinuxAbi.Current!.Architecture, Is.EqualTo(RuntimeInformation.ProcessArchitecture));
        Assert.That(LinuxAbi.Current.PointerSize, Is.EqualTo(IntPtr.Size));
        Assert.That(OpenFlags.Directory, Is.EqualTo(LinuxAbi.Current.OpenDirectory));
        // The offset from the table finds root's ids through the C library.
        Assert.That(OwnerNames.GetUserId("root"), Is.EqualTo(0u));
        Assert.That(OwnerNames.GetGroupId("daemon") ?? 1u, Is.EqualTo(1u));
    }

    [Test]
    public void TheNativeLayerChecksEveryFunctionItDeclares()
    {
        var declared = typeof(PosixNative).GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)
            .Select(m => m.GetCustomAttributes(typeof(LibraryImportAttribute), false).OfType<LibraryImportAttribute>().FirstOrDefault())
            .Where(a => a != null)
            .Select(a => a!.EntryPoint)
            .Distinct()
            .Order(StringComparer.Ordinal);
        Assert.That(declared, Is.Not.Empty);
        Assert.That(LinuxFileLayer.EntryPoints.Order(StringComparer.Ordinal), Is.EqualTo(declared));
    }

    [Test]
    public void TheEnvironmentVariableForcesThePortableLayer()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FileLayer.Choose(null, out var why).Name, Is.EqualTo("linux-native"), why);
            Assert.That(FileLayer.Choose("", out _).Name, Is.EqualTo("linux-native"));
            Assert.That(FileLayer.Choose("0", out _).Name, Is.EqualTo("linux-native"));
            Assert.That(FileLayer.Choose("1", out var reason).Name, Is.EqualTo("portable"));
            Assert.That(reason, Does.Contain(FileLayer.PortableVariable));
        });
    }

    [Test]
    public async Task UseSwitchesTheLayerForOneFlowOnly()
    {
        Assert.That(FileLayer.Current.Name, Is.EqualTo("linux-native"));
        using (FileLayer.Use(FileLayer.Portable))
        {
            Assert.That(FileLayer.Current.Name, Is.EqualTo("portable"));
            Assert.That(await Task.Run(() => FileLayer.Current.Name), Is.EqualTo("portable"), "tasks started inside inherit it");
        }
        Assert.That(FileLayer.Current.Name, Is.EqualTo("linux-native"));
    }
}
