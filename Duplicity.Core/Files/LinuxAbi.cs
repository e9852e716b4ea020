using System.Runtime.InteropServices;

namespace Duplicity.Files;

/// <summary>
/// The numbers of the Linux C interface that differ between the architectures .NET runs on: the open(2)
/// flags O_DIRECTORY and O_NOFOLLOW, and the pointer size that places the id in struct passwd and struct
/// group. Everything else the native layer uses is the same on all of them: struct statx, struct dirent64,
/// struct open_how, the errno values, O_CREAT/O_EXCL/O_NONBLOCK/O_CLOEXEC, the AT_* flags and dev_t (64-bit
/// in glibc everywhere). An architecture not in the table gets no native layer (the portable one is used).
/// </summary>
internal sealed record LinuxAbi(Architecture Architecture, int OpenDirectory, int OpenNoFollow, int PointerSize)
{
    // O_DIRECTORY / O_NOFOLLOW in octal: asm-generic 0200000 / 0400000; arm, arm64, powerpc 040000 / 0100000
    // (arch/*/include/uapi/asm/fcntl.h).
    internal const int GenericDirectory = 0x10000, GenericNoFollow = 0x20000;
    internal const int ArmPowerDirectory = 0x4000, ArmPowerNoFollow = 0x8000;

    /// <summary>
    /// Offset of pw_uid in struct passwd and of gr_gid in struct group: both begin with two char pointers
    /// (name, password) followed by the 32-bit id, so 8 on 32-bit and 16 on 64-bit architectures.
    /// </summary>
    public int OwnerIdOffset => 2 * PointerSize;

    /// <summary>The table for <paramref name="architecture"/>, or null when its values are not known.</summary>
    public static LinuxAbi? For(Architecture architecture) => architecture switch
    {
        Architecture.X64 or Architecture.S390x or Architecture.RiscV64 or Architecture.LoongArch64
            => new(architecture, GenericDirectory, GenericNoFollow, 8),
        Architecture.X86 => new(architecture, GenericDirectory, GenericNoFollow, 4),
        Architecture.Arm64 or Architecture.Ppc64le => new(architecture, ArmPowerDirectory, ArmPowerNoFollow, 8),
        Architecture.Arm or Architecture.Armv6 => new(architecture, ArmPowerDirectory, ArmPowerNoFollow, 4),
        _ => null,
    };

    /// <summary>This process's table, or null when the architecture is not known (or disagrees with the pointer size).</summary>
    public static LinuxAbi? Current { get; } =
        For(RuntimeInformation.ProcessArchitecture) is { } abi && abi.PointerSize == IntPtr.Size ? abi : null;
}
