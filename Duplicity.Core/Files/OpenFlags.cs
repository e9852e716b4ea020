using System.Runtime.InteropServices;

namespace Duplicity.Files;

/// <summary>
/// The open(2) flags whose values differ between Linux architectures. x86, x86_64, s390x, riscv64
/// and loongarch64 use the asm-generic numbers; arm, arm64 and powerpc define their own
/// (arch/*/include/uapi/asm/fcntl.h). An architecture not listed here is refused rather than guessed.
/// </summary>
internal static class OpenFlags
{
    // O_DIRECTORY / O_NOFOLLOW in octal: asm-generic 0200000 / 0400000; arm, arm64, powerpc 040000 / 0100000.
    private const int GenericDirectory = 0x10000, GenericNoFollow = 0x20000;
    private const int ArmPowerDirectory = 0x4000, ArmPowerNoFollow = 0x8000;

    private static readonly (int Directory, int NoFollow)? Values = ValuesFor(RuntimeInformation.ProcessArchitecture);

    /// <summary>O_DIRECTORY for this process's architecture.</summary>
    /// <exception cref="PlatformNotSupportedException">The architecture's values are not known.</exception>
    public static int Directory => Require().Directory;

    /// <summary>O_NOFOLLOW for this process's architecture.</summary>
    /// <exception cref="PlatformNotSupportedException">The architecture's values are not known.</exception>
    public static int NoFollow => Require().NoFollow;

    /// <summary>The (O_DIRECTORY, O_NOFOLLOW) pair of an architecture, or null when it is not known.</summary>
    internal static (int Directory, int NoFollow)? ValuesFor(Architecture architecture) => architecture switch
    {
        Architecture.X64 or Architecture.X86 or Architecture.S390x or Architecture.RiscV64 or Architecture.LoongArch64
            => (GenericDirectory, GenericNoFollow),
        Architecture.Arm64 or Architecture.Arm or Architecture.Armv6 or Architecture.Ppc64le
            => (ArmPowerDirectory, ArmPowerNoFollow),
        _ => null,
    };

    private static (int Directory, int NoFollow) Require() => Values ?? throw new PlatformNotSupportedException(
        $"The open(2) flag values of architecture {RuntimeInformation.ProcessArchitecture} are not known; restoring files is not supported there.");
}
