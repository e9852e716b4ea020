using System.Runtime.InteropServices;

namespace Duplicity.Files;

/// <summary>
/// The directory-relative (<c>*at</c>) libc calls and the raw openat2 system call, used by the restore
/// writer so that no path is ever resolved from the root again once its directory is open.
/// </summary>
internal static unsafe partial class PosixNative
{
    internal const int AT_REMOVEDIR = 0x200;
    internal const uint RENAME_NOREPLACE = 1;

    // openat2 (Linux 5.6) has the same number on every architecture .NET runs on: it was added after
    // the system call tables were unified (include/uapi/asm-generic/unistd.h and each arch's syscall.tbl).
    internal const long SYS_openat2 = 437;
    internal const ulong RESOLVE_NO_MAGICLINKS = 0x02;
    internal const ulong RESOLVE_NO_SYMLINKS = 0x04;
    internal const ulong RESOLVE_BENEATH = 0x08;

    /// <summary>struct open_how of openat2(2).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    // openat64 so 32-bit architectures get O_LARGEFILE for restored files; an alias on 64-bit ones.
    [LibraryImport(Libc, EntryPoint = "openat64", SetLastError = true)]
    internal static partial int Openat(int dirfd, byte* path, int flags, uint mode);

    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    internal static partial nint Syscall4(nint number, nint a1, nint a2, nint a3, nint a4);

    [LibraryImport(Libc, EntryPoint = "mkdirat", SetLastError = true)]
    internal static partial int Mkdirat(int dirfd, byte* path, uint mode);

    [LibraryImport(Libc, EntryPoint = "mkfifoat", SetLastError = true)]
    internal static partial int Mkfifoat(int dirfd, byte* path, uint mode);

    [LibraryImport(Libc, EntryPoint = "mknodat", SetLastError = true)]
    internal static partial int Mknodat(int dirfd, byte* path, uint mode, ulong dev);

    [LibraryImport(Libc, EntryPoint = "symlinkat", SetLastError = true)]
    internal static partial int Symlinkat(byte* target, int newDirfd, byte* linkPath);

    [LibraryImport(Libc, EntryPoint = "fchownat", SetLastError = true)]
    internal static partial int Fchownat(int dirfd, byte* path, uint uid, uint gid, int flags);

    [LibraryImport(Libc, EntryPoint = "renameat", SetLastError = true)]
    internal static partial int Renameat(int oldDirfd, byte* oldPath, int newDirfd, byte* newPath);

    [LibraryImport(Libc, EntryPoint = "unlinkat", SetLastError = true)]
    internal static partial int Unlinkat(int dirfd, byte* path, int flags);
}
