using System.Runtime.Versioning;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Duplicity.Files.PosixNative;

namespace Duplicity.Files;

/// <summary>
/// The file system calls a backup and a restore need, over libc with raw byte paths. Paths may be
/// given with or without a trailing NUL. Failures throw <see cref="PosixException"/> unless the
/// method is a Try form.
/// </summary>
[SupportedOSPlatform("linux")]
internal static unsafe class Posix
{
    private const int StatxBufferSize = 256;

    /// <summary>lstat: information about the object itself, never a symlink's target.</summary>
    public static bool TryLstat(ReadOnlySpan<byte> path, out PosixStat st, out int errno) =>
        TryStatx(path, AT_SYMLINK_NOFOLLOW, out st, out errno);

    /// <inheritdoc cref="TryLstat(ReadOnlySpan{byte}, out PosixStat, out int)"/>
    public static bool TryLstat(ReadOnlySpan<byte> path, out PosixStat st) => TryLstat(path, out st, out _);

    /// <summary>lstat that throws on failure.</summary>
    public static PosixStat Lstat(ReadOnlySpan<byte> path) =>
        TryLstat(path, out var st, out int errno) ? st : throw new PosixException("lstat", errno, path);

    /// <summary>stat: follows symlinks.</summary>
    public static bool TryStat(ReadOnlySpan<byte> path, out PosixStat st, out int errno) =>
        TryStatx(path, 0, out st, out errno);

    /// <summary>stat that throws on failure.</summary>
    public static PosixStat Stat(ReadOnlySpan<byte> path) =>
        TryStat(path, out var st, out int errno) ? st : throw new PosixException("stat", errno, path);

    private static bool TryStatx(ReadOnlySpan<byte> path, int flags, out PosixStat st, out int errno)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(path, scratch);
        byte* buf = stackalloc byte[StatxBufferSize];
        int rc;
        fixed (byte* p = native.Terminated) rc = Statx(AT_FDCWD, p, flags, STATX_BASIC_STATS, buf);
        if (rc != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            st = default;
            return false;
        }
        errno = 0;
        st = Decode(new ReadOnlySpan<byte>(buf, StatxBufferSize));
        return true;
    }

    // struct statx offsets (include/uapi/linux/stat.h) are identical on every Linux architecture; the
    // fields are in the machine's byte order (big-endian on s390x), so they are read natively.
    internal static PosixStat Decode(ReadOnlySpan<byte> b) => new()
    {
        Uid = MemoryMarshal.Read<uint>(b[20..]),
        Gid = MemoryMarshal.Read<uint>(b[24..]),
        Mode = MemoryMarshal.Read<ushort>(b[28..]),
        Inode = MemoryMarshal.Read<ulong>(b[32..]),
        Size = MemoryMarshal.Read<long>(b[40..]),
        MTimeSeconds = MemoryMarshal.Read<long>(b[112..]),
        MTimeNanoseconds = MemoryMarshal.Read<uint>(b[120..]),
        RdevMajor = MemoryMarshal.Read<uint>(b[128..]),
        RdevMinor = MemoryMarshal.Read<uint>(b[132..]),
        DevMajor = MemoryMarshal.Read<uint>(b[136..]),
        DevMinor = MemoryMarshal.Read<uint>(b[140..]),
    };

    /// <summary>
    /// The names in a directory (without <c>.</c> and <c>..</c>) in the order the file system gives
    /// them. The directory itself is opened without following a symlink.
    /// </summary>
    public static List<byte[]> ReadDirectory(ReadOnlySpan<byte> path) => ReadDirectory(path, followSymlink: false);

    /// <summary>Lists a directory; with <paramref name="followSymlink"/> a symlink to a directory is listed too (<c>--copy-links</c>).</summary>
    public static List<byte[]> ReadDirectory(ReadOnlySpan<byte> path, bool followSymlink)
    {
        int fd = OpenRaw(path, O_RDONLY | O_DIRECTORY | (followSymlink ? 0 : O_NOFOLLOW) | O_CLOEXEC, 0, out int errno);
        if (fd < 0) throw new PosixException("opendir", errno, path);
        nint dir = FdOpenDir(fd);
        if (dir == 0)
        {
            errno = Marshal.GetLastPInvokeError();
            Close(fd);
            throw new PosixException("fdopendir", errno, path);
        }
        try
        {
            var names = new List<byte[]>();
            while (true)
            {
                byte* entry = ReadDir64(dir);
                if (entry == null)
                {
                    // readdir signals the end and an error the same way; only errno tells them apart.
                    errno = Marshal.GetLastPInvokeError();
                    if (errno != 0) throw new PosixException("readdir", errno, path);
                    return names;
                }
                // struct dirent64: d_ino 8, d_off 8, d_reclen 2, d_type 1, then d_name.
                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(entry + 19);
                if (name.SequenceEqual("."u8) || name.SequenceEqual(".."u8)) continue;
                names.Add(name.ToArray());
            }
        }
        finally
        {
            CloseDir(dir);
        }
    }

    /// <summary>The raw target of a symbolic link.</summary>
    public static byte[] ReadLink(ReadOnlySpan<byte> path)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(path, scratch);
        for (int size = 256; ; size *= 4)
        {
            var buffer = new byte[size];
            nint n;
            fixed (byte* p = native.Terminated)
            fixed (byte* b = buffer)
                n = PosixNative.ReadLink(p, b, (nuint)size);
            if (n < 0) throw new PosixException("readlink", Marshal.GetLastPInvokeError(), path);
            if (n < size) return buffer.AsSpan(0, (int)n).ToArray();
            if (size > 1 << 20) throw new PosixException("readlink", PosixException.ERANGE, path);
        }
    }

    /// <summary>Opens an existing object for reading; refuses a symlink as the last component.</summary>
    public static SafeFileHandle OpenRead(ReadOnlySpan<byte> path)
    {
        int fd = OpenRaw(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0, out int errno);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw new PosixException("open", errno, path);
    }

    /// <summary>Creates a new file for writing; fails when anything (even a dangling symlink) has the name.</summary>
    public static SafeFileHandle CreateExclusive(ReadOnlySpan<byte> path, int mode)
    {
        int fd = OpenRaw(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (uint)mode, out int errno);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw new PosixException("open", errno, path);
    }

    private static int OpenRaw(ReadOnlySpan<byte> path, int flags, uint mode, out int errno)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(path, scratch);
        int fd;
        fixed (byte* p = native.Terminated) fd = Open(p, flags, mode);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    /// <summary>
    /// Flushes a folder's entries (names created, renamed or removed in it) to the disk. A file system that
    /// cannot sync folders (EINVAL) has nothing more to flush.
    /// </summary>
    public static void SyncDirectory(ReadOnlySpan<byte> path)
    {
        int fd = OpenRaw(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, out int errno);
        if (fd < 0) throw new PosixException("open", errno, path);
        try
        {
            if (Fsync(fd) != 0 && (errno = Marshal.GetLastPInvokeError()) != PosixException.EINVAL)
                throw new PosixException("fsync", errno, path);
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>True when the real user may read the object (access(R_OK)).</summary>
    public static bool IsReadable(ReadOnlySpan<byte> path, out int errno)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(path, scratch);
        int rc;
        fixed (byte* p = native.Terminated) rc = Access(p, R_OK);
        errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
        return rc == 0;
    }

    public static void Mkdir(ReadOnlySpan<byte> path, int mode)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(path, scratch);
        int rc;
        fixed (byte* p = native.Terminated) rc = PosixNative.Mkdir(p, (uint)mode);
        Check(rc, "mkdir", path);
    }

    public static void Mkfifo(ReadOnlySpan<byte> path, int mode)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(path, scratch);
        int rc;
        fixed (byte* p = native.Terminated) rc = PosixNative.Mkfifo(p, (uint)mode);
        Check(rc, "mkfifo", path);
    }

    /// <summary>Creates a character or block device node.</summary>
    public static void Mknod(ReadOnlySpan<byte> path, FileEntryType type, int mode, uint major, uint minor)
    {
        int typeBits = type switch
        {
            FileEntryType.CharacterDevice => PosixStat.CharacterDeviceBits,
            FileEntryType.BlockDevice => PosixStat.BlockDeviceBits,
            _ => throw new ArgumentException("Only device nodes are made with mknod.", nameof(type)),
        };
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(path, scratch);
        int rc;
        fixed (byte* p = native.Terminated) rc = PosixNative.Mknod(p, (uint)(typeBits | (mode & 0xFFF)), MakeDev(major, minor));
        Check(rc, "mknod", path);
    }

    /// <summary>glibc's encoding of a device number (gnu_dev_makedev).</summary>
    public static ulong MakeDev(uint major, uint minor) =>
        (((ulong)major & 0xfffff000) << 32) | (((ulong)major & 0xfff) << 8)
        | (((ulong)minor & 0xffffff00) << 12) | ((ulong)minor & 0xff);

    /// <summary>Creates <paramref name="linkPath"/> pointing at <paramref name="target"/> (raw bytes).</summary>
    public static void Symlink(ReadOnlySpan<byte> target, ReadOnlySpan<byte> linkPath)
    {
        Span<byte> scratchTarget = stackalloc byte[NativePath.StackSize];
        Span<byte> scratchLink = stackalloc byte[NativePath.StackSize];
        using var nativeTarget = new NativePath(target, scratchTarget);
        using var nativeLink = new NativePath(linkPath, scratchLink);
        int rc;
        fixed (byte* t = nativeTarget.Terminated)
        fixed (byte* l = nativeLink.Terminated)
            rc = PosixNative.Symlink(t, l);
        Check(rc, "symlink", linkPath);
    }

    /// <summary>Changes owner and group without following a symlink.</summary>
    public static void Lchown(ReadOnlySpan<byte> path, uint uid, uint gid)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(path, scratch);
        int rc;
        fixed (byte* p = native.Terminated) rc = PosixNative.Lchown(p, uid, gid);
        Check(rc, "lchown", path);
    }

    /// <summary>
    /// Sets permission bits (07777) without following a symlink. Linux cannot chmod a symlink, so
    /// callers never pass one; when the C library lacks the no-follow form, plain chmod is used.
    /// </summary>
    public static void Chmod(ReadOnlySpan<byte> path, int mode)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(path, scratch);
        int rc, errno = 0;
        fixed (byte* p = native.Terminated)
        {
            rc = Fchmodat(AT_FDCWD, p, (uint)(mode & 0xFFF), AT_SYMLINK_NOFOLLOW);
            if (rc != 0) errno = Marshal.GetLastPInvokeError();
            if (rc != 0 && errno == PosixException.EOPNOTSUPP && TryLstat(native.Terminated, out var st) && !st.IsSymlink)
            {
                rc = PosixNative.Chmod(p, (uint)(mode & 0xFFF));
                errno = rc != 0 ? Marshal.GetLastPInvokeError() : 0;
            }
        }
        if (rc != 0) throw new PosixException("chmod", errno, path);
    }

    /// <summary>Sets the modification time (access time becomes now) without following a symlink.</summary>
    public static void SetModificationTime(ReadOnlySpan<byte> path, long seconds, long nanoseconds = 0)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(path, scratch);
        nint* times = stackalloc nint[4];
        times[0] = 0;
        times[1] = (nint)UTIME_NOW;
        times[2] = (nint)seconds;
        times[3] = (nint)nanoseconds;
        int rc;
        fixed (byte* p = native.Terminated) rc = Utimensat(AT_FDCWD, p, times, AT_SYMLINK_NOFOLLOW);
        Check(rc, "utimensat", path);
    }

    /// <summary>fchown of an open object.</summary>
    public static void SetOwner(Microsoft.Win32.SafeHandles.SafeFileHandle handle, uint uid, uint gid) =>
        Check(PosixNative.Fchown((int)handle.DangerousGetHandle(), uid, gid), "fchown", default);

    /// <summary>fchmod of an open object.</summary>
    public static void SetMode(Microsoft.Win32.SafeHandles.SafeFileHandle handle, int mode) =>
        Check(PosixNative.Fchmod((int)handle.DangerousGetHandle(), (uint)mode), "fchmod", default);

    /// <summary>Sets an open object's mtime (whole seconds) and its atime to now.</summary>
    public static void SetModificationTime(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long mtimeSeconds)
    {
        nint* times = stackalloc nint[4];
        times[0] = 0;
        times[1] = (nint)UTIME_NOW;
        times[2] = (nint)mtimeSeconds;
        times[3] = 0;
        Check(PosixNative.Futimens((int)handle.DangerousGetHandle(), times), "futimens", default);
    }

    /// <summary>Renames only when nothing exists at <paramref name="newPath"/>; false (nothing done) when something does.</summary>
    public static bool TryRenameNoReplace(ReadOnlySpan<byte> oldPath, ReadOnlySpan<byte> newPath)
    {
        const uint RenameNoReplace = 1;
        Span<byte> scratchOld = stackalloc byte[NativePath.StackSize];
        Span<byte> scratchNew = stackalloc byte[NativePath.StackSize];
        using var nativeOld = new NativePath(oldPath, scratchOld);
        using var nativeNew = new NativePath(newPath, scratchNew);
        int rc;
        fixed (byte* o = nativeOld.Terminated)
        fixed (byte* n = nativeNew.Terminated)
            rc = PosixNative.Renameat2(AT_FDCWD, o, AT_FDCWD, n, RenameNoReplace);
        if (rc == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno == PosixException.EEXIST) return false;
        throw new PosixException("renameat2", errno, newPath);
    }

    public static void Rename(ReadOnlySpan<byte> oldPath, ReadOnlySpan<byte> newPath)
    {
        Span<byte> scratchOld = stackalloc byte[NativePath.StackSize];
        Span<byte> scratchNew = stackalloc byte[NativePath.StackSize];
        using var nativeOld = new NativePath(oldPath, scratchOld);
        using var nativeNew = new NativePath(newPath, scratchNew);
        int rc;
        fixed (byte* o = nativeOld.Terminated)
        fixed (byte* n = nativeNew.Terminated)
            rc = PosixNative.Rename(o, n);
        Check(rc, "rename", newPath);
    }

    public static void Unlink(ReadOnlySpan<byte> path)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(path, scratch);
        int rc;
        fixed (byte* p = native.Terminated) rc = PosixNative.Unlink(p);
        Check(rc, "unlink", path);
    }

    public static void Rmdir(ReadOnlySpan<byte> path)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(path, scratch);
        int rc;
        fixed (byte* p = native.Terminated) rc = PosixNative.Rmdir(p);
        Check(rc, "rmdir", path);
    }

    /// <summary>The effective user id of this process (0 for root).</summary>
    public static uint GetEffectiveUserId() => Geteuid();

    /// <summary>The effective group id of this process.</summary>
    public static uint GetEffectiveGroupId() => Getegid();

    private static void Check(int rc, string operation, ReadOnlySpan<byte> path)
    {
        if (rc != 0) throw new PosixException(operation, Marshal.GetLastPInvokeError(), path);
    }
}
