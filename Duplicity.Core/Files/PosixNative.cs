using System.Runtime.Versioning;
using System.Runtime.InteropServices;

namespace Duplicity.Files;

/// <summary>
/// Raw libc entry points. Every path is a pointer to NUL-terminated bytes so names that are not
/// UTF-8 pass through untouched. The layouts used (statx, dirent64, open_how) are the same on every Linux
/// architecture; what differs (O_DIRECTORY, O_NOFOLLOW, the passwd/group id offset) comes from <see cref="LinuxAbi"/>.
/// </summary>
[SupportedOSPlatform("linux")]
internal static unsafe partial class PosixNative
{
    private const string Libc = "libc";

    internal const int AT_FDCWD = -100;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;
    internal const uint STATX_BASIC_STATS = 0x7ff;

    internal const int O_RDONLY = 0x0;
    internal const int O_WRONLY = 0x1;
    internal const int O_CREAT = 0x40;
    internal const int O_EXCL = 0x80;
    // O_DIRECTORY and O_NOFOLLOW differ between architectures (see OpenFlags).
    internal static int O_DIRECTORY => OpenFlags.Directory;
    internal static int O_NOFOLLOW => OpenFlags.NoFollow;
    internal const int O_CLOEXEC = 0x80000;

    internal const int R_OK = 4;
    internal const long UTIME_NOW = (1L << 30) - 1;
    // struct timespec is two C longs (pointer-sized with glibc's default ABI, 32-bit on arm32).

    [LibraryImport(Libc, EntryPoint = "statx", SetLastError = true)]
    internal static partial int Statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);

    // open64 so 32-bit architectures get O_LARGEFILE (files over 2 GiB); an alias of open on 64-bit ones.
    [LibraryImport(Libc, EntryPoint = "open64", SetLastError = true)]
    internal static partial int Open(byte* path, int flags, uint mode);

    internal const int POSIX_FADV_WILLNEED = 3;

    // Returns the error number itself (0 on success) instead of setting errno.
    [LibraryImport(Libc, EntryPoint = "posix_fadvise")]
    internal static partial int PosixFadvise(int fd, long offset, long length, int advice);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "fdopendir", SetLastError = true)]
    internal static partial nint FdOpenDir(int fd);

    [LibraryImport(Libc, EntryPoint = "readdir64", SetLastError = true)]
    internal static partial byte* ReadDir64(nint dir);

    [LibraryImport(Libc, EntryPoint = "closedir", SetLastError = true)]
    internal static partial int CloseDir(nint dir);

    [LibraryImport(Libc, EntryPoint = "readlink", SetLastError = true)]
    internal static partial nint ReadLink(byte* path, byte* buffer, nuint size);

    [LibraryImport(Libc, EntryPoint = "mkdir", SetLastError = true)]
    internal static partial int Mkdir(byte* path, uint mode);

    [LibraryImport(Libc, EntryPoint = "mkfifo", SetLastError = true)]
    internal static partial int Mkfifo(byte* path, uint mode);

    [LibraryImport(Libc, EntryPoint = "mknod", SetLastError = true)]
    internal static partial int Mknod(byte* path, uint mode, ulong dev);

    [LibraryImport(Libc, EntryPoint = "symlink", SetLastError = true)]
    internal static partial int Symlink(byte* target, byte* linkPath);

    [LibraryImport(Libc, EntryPoint = "lchown", SetLastError = true)]
    internal static partial int Lchown(byte* path, uint uid, uint gid);

    [LibraryImport(Libc, EntryPoint = "fchmodat", SetLastError = true)]
    internal static partial int Fchmodat(int dirfd, byte* path, uint mode, int flags);

    [LibraryImport(Libc, EntryPoint = "chmod", SetLastError = true)]
    internal static partial int Chmod(byte* path, uint mode);

    [LibraryImport(Libc, EntryPoint = "utimensat", SetLastError = true)]
    internal static partial int Utimensat(int dirfd, byte* path, nint* times, int flags);

    [LibraryImport(Libc, EntryPoint = "fchown", SetLastError = true)]
    internal static partial int Fchown(int fd, uint uid, uint gid);

    [LibraryImport(Libc, EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int Fchmod(int fd, uint mode);

    [LibraryImport(Libc, EntryPoint = "futimens", SetLastError = true)]
    internal static partial int Futimens(int fd, nint* times);

    [LibraryImport(Libc, EntryPoint = "renameat2", SetLastError = true)]
    internal static partial int Renameat2(int oldDirfd, byte* oldPath, int newDirfd, byte* newPath, uint flags);

    [LibraryImport(Libc, EntryPoint = "rename", SetLastError = true)]
    internal static partial int Rename(byte* oldPath, byte* newPath);

    [LibraryImport(Libc, EntryPoint = "fsync", SetLastError = true)]
    internal static partial int Fsync(int fd);

    [LibraryImport(Libc, EntryPoint = "unlink", SetLastError = true)]
    internal static partial int Unlink(byte* path);

    [LibraryImport(Libc, EntryPoint = "rmdir", SetLastError = true)]
    internal static partial int Rmdir(byte* path);

    [LibraryImport(Libc, EntryPoint = "access", SetLastError = true)]
    internal static partial int Access(byte* path, int mode);

    [LibraryImport(Libc, EntryPoint = "geteuid")]
    internal static partial uint Geteuid();

    [LibraryImport(Libc, EntryPoint = "getegid")]
    internal static partial uint Getegid();

    // The *_r lookups return the error number instead of setting errno.
    [LibraryImport(Libc, EntryPoint = "getpwuid_r")]
    internal static partial int GetpwuidR(uint uid, byte* pwd, byte* buffer, nuint size, byte** result);

    [LibraryImport(Libc, EntryPoint = "getpwnam_r")]
    internal static partial int GetpwnamR(byte* name, byte* pwd, byte* buffer, nuint size, byte** result);

    [LibraryImport(Libc, EntryPoint = "getgrgid_r")]
    internal static partial int GetgrgidR(uint gid, byte* grp, byte* buffer, nuint size, byte** result);

    [LibraryImport(Libc, EntryPoint = "getgrnam_r")]
    internal static partial int GetgrnamR(byte* name, byte* grp, byte* buffer, nuint size, byte** result);
}
