using System.Runtime.Versioning;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Duplicity.Files.PosixNative;

namespace Duplicity.Files;

/// <summary>
/// An open directory and the calls made relative to it. Every name is looked up in this directory
/// only and a symlink is never followed: whatever happens to the path that led here, objects are
/// created, changed and removed in this very directory. Failures throw <see cref="PosixException"/>
/// (whose path is the name given), except in the Try forms.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe class DirectoryHandle : IDisposable
{
    private const int StatxBufferSize = 256;
    private static int DirectoryOpenFlags => O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

    // Set once openat2 turns out to be missing (ENOSYS) or filtered (EPERM); then lookups go one name at a time.
    private static volatile bool s_openat2Unavailable;

    private readonly SafeFileHandle _handle;

    private DirectoryHandle(int fd) => _handle = new SafeFileHandle(fd, ownsHandle: true);

    /// <summary>The descriptor (valid until disposed).</summary>
    public int Fd => (int)_handle.DangerousGetHandle();

    /// <summary>The open handle, for calls on the directory itself.</summary>
    public SafeFileHandle Handle => _handle;

    /// <summary>
    /// Opens a directory by path. Symlinks along the way are followed (the caller chose the path)
    /// except, when <paramref name="followLast"/> is false, at its last component.
    /// </summary>
    public static DirectoryHandle OpenPath(ReadOnlySpan<byte> path, bool followLast)
    {
        int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followLast ? 0 : O_NOFOLLOW);
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(path, scratch);
        int fd;
        fixed (byte* p = native.Terminated) fd = Openat(AT_FDCWD, p, flags, 0);
        return fd >= 0 ? new DirectoryHandle(fd) : throw new PosixException("open", Marshal.GetLastPInvokeError(), path);
    }

    /// <summary>Opens the subdirectory <paramref name="name"/>; fails with ELOOP or ENOTDIR when it is a symlink or not a directory.</summary>
    public bool TryOpenChild(ReadOnlySpan<byte> name, out DirectoryHandle? child, out int errno)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(name, scratch);
        int fd;
        fixed (byte* p = native.Terminated) fd = Openat(Fd, p, DirectoryOpenFlags, 0);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        child = fd >= 0 ? new DirectoryHandle(fd) : null;
        return fd >= 0;
    }

    /// <summary>
    /// Opens the directory at the relative path <paramref name="relative"/> (several names) in one
    /// openat2 call that may neither leave this directory nor pass through any symlink. False with
    /// errno when that fails; ENOSYS when the kernel (or a seccomp filter) does not offer openat2.
    /// </summary>
    public bool TryOpenBeneath(ReadOnlySpan<byte> relative, out DirectoryHandle? child, out int errno)
    {
        child = null;
        if (s_openat2Unavailable)
        {
            errno = PosixException.ENOSYS;
            return false;
        }
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(relative, scratch);
        var how = new OpenHow
        {
            Flags = (ulong)(uint)DirectoryOpenFlags,
            Resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
        };
        nint rc;
        fixed (byte* p = native.Terminated) rc = Syscall4((nint)SYS_openat2, Fd, (nint)p, (nint)(&how), sizeof(OpenHow));
        if (rc < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            if (errno is PosixException.ENOSYS or PosixException.EPERM or PosixException.E2BIG)
            {
                s_openat2Unavailable = true;
                errno = PosixException.ENOSYS;
            }
            return false;
        }
        errno = 0;
        child = new DirectoryHandle((int)rc);
        return true;
    }

    /// <summary>lstat of <paramref name="name"/> in this directory; the errno (0 on success).</summary>
    public int TryStatChild(ReadOnlySpan<byte> name, out PosixStat st)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(name, scratch);
        byte* buf = stackalloc byte[StatxBufferSize];
        int rc;
        fixed (byte* p = native.Terminated) rc = Statx(Fd, p, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf);
        if (rc != 0)
        {
            st = default;
            return Marshal.GetLastPInvokeError();
        }
        st = Posix.Decode(new ReadOnlySpan<byte>(buf, StatxBufferSize));
        return 0;
    }

    /// <summary>mkdirat; the errno (0 on success).</summary>
    public int TryMakeDirectory(ReadOnlySpan<byte> name, int mode)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(name, scratch);
        int rc;
        fixed (byte* p = native.Terminated) rc = Mkdirat(Fd, p, (uint)mode);
        return rc == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>Creates a new regular file for writing; fails when anything (even a dangling symlink) has the name.</summary>
    public SafeFileHandle CreateFileExclusive(ReadOnlySpan<byte> name, int mode)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(name, scratch);
        int fd;
        fixed (byte* p = native.Terminated) fd = Openat(Fd, p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (uint)mode);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw new PosixException("open", Marshal.GetLastPInvokeError(), name);
    }

    /// <summary>Creates the symlink <paramref name="name"/> holding <paramref name="target"/> (raw bytes, never resolved).</summary>
    public void CreateSymlink(ReadOnlySpan<byte> name, ReadOnlySpan<byte> target)
    {
        Span<byte> scratchTarget = stackalloc byte[NativePath.StackSize];
        Span<byte> scratchName = stackalloc byte[NativePath.StackSize];
        using var nativeTarget = new NativePath(target, scratchTarget);
        using var nativeName = new NativePath(name, scratchName);
        int rc;
        fixed (byte* t = nativeTarget.Terminated)
        fixed (byte* n = nativeName.Terminated)
            rc = Symlinkat(t, Fd, n);
        Check(rc, "symlink", name);
    }

    /// <summary>Creates a named pipe.</summary>
    public void CreateFifo(ReadOnlySpan<byte> name, int mode)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(name, scratch);
        int rc;
        fixed (byte* p = native.Terminated) rc = Mkfifoat(Fd, p, (uint)mode);
        Check(rc, "mkfifo", name);
    }

    /// <summary>Creates a character or block device node.</summary>
    public void CreateDevice(ReadOnlySpan<byte> name, FileEntryType type, int mode, uint major, uint minor)
    {
        int typeBits = type switch
        {
            FileEntryType.CharacterDevice => PosixStat.CharacterDeviceBits,
            FileEntryType.BlockDevice => PosixStat.BlockDeviceBits,
            _ => throw new ArgumentException("Only device nodes are made with mknod.", nameof(type)),
        };
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(name, scratch);
        int rc;
        fixed (byte* p = native.Terminated) rc = Mknodat(Fd, p, (uint)(typeBits | (mode & 0xFFF)), Posix.MakeDev(major, minor));
        Check(rc, "mknod", name);
    }

    /// <summary>Renames within this directory only when nothing has the new name; false (nothing done) when something does.</summary>
    public bool TryRenameNoReplace(ReadOnlySpan<byte> oldName, ReadOnlySpan<byte> newName, out int errno)
    {
        Span<byte> scratchOld = stackalloc byte[NativePath.StackSize];
        Span<byte> scratchNew = stackalloc byte[NativePath.StackSize];
        using var nativeOld = new NativePath(oldName, scratchOld);
        using var nativeNew = new NativePath(newName, scratchNew);
        int rc;
        fixed (byte* o = nativeOld.Terminated)
        fixed (byte* n = nativeNew.Terminated)
            rc = Renameat2(Fd, o, Fd, n, RENAME_NOREPLACE);
        errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
        return rc == 0;
    }

    /// <summary>Renames within this directory, atomically replacing a non-directory with the new name.</summary>
    public void Rename(ReadOnlySpan<byte> oldName, ReadOnlySpan<byte> newName)
    {
        Span<byte> scratchOld = stackalloc byte[NativePath.StackSize];
        Span<byte> scratchNew = stackalloc byte[NativePath.StackSize];
        using var nativeOld = new NativePath(oldName, scratchOld);
        using var nativeNew = new NativePath(newName, scratchNew);
        int rc;
        fixed (byte* o = nativeOld.Terminated)
        fixed (byte* n = nativeNew.Terminated)
            rc = Renameat(Fd, o, Fd, n);
        Check(rc, "rename", newName);
    }

    /// <summary>Removes <paramref name="name"/>: unlink, or rmdir (only when empty) for a directory. A symlink itself is removed.</summary>
    public void Remove(ReadOnlySpan<byte> name, bool isDirectory)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(name, scratch);
        int rc;
        fixed (byte* p = native.Terminated) rc = Unlinkat(Fd, p, isDirectory ? AT_REMOVEDIR : 0);
        Check(rc, isDirectory ? "rmdir" : "unlink", name);
    }

    /// <summary>Changes owner and group of <paramref name="name"/> itself (a symlink is not followed).</summary>
    public void ChangeOwner(ReadOnlySpan<byte> name, uint uid, uint gid)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(name, scratch);
        int rc;
        fixed (byte* p = native.Terminated) rc = Fchownat(Fd, p, uid, gid, AT_SYMLINK_NOFOLLOW);
        Check(rc, "lchown", name);
    }

    /// <summary>
    /// Sets permission bits of <paramref name="name"/> without following a symlink. EOPNOTSUPP means
    /// the name is (now) a symlink, or the C library cannot do it without following: never retried by name.
    /// </summary>
    public void ChangeMode(ReadOnlySpan<byte> name, int mode)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(name, scratch);
        int rc;
        fixed (byte* p = native.Terminated) rc = Fchmodat(Fd, p, (uint)(mode & 0xFFF), AT_SYMLINK_NOFOLLOW);
        Check(rc, "chmod", name);
    }

    /// <summary>Sets the modification time of <paramref name="name"/> (access time becomes now) without following a symlink.</summary>
    public void SetModificationTime(ReadOnlySpan<byte> name, long seconds)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(name, scratch);
        nint* times = stackalloc nint[4];
        times[0] = 0;
        times[1] = (nint)UTIME_NOW;
        times[2] = (nint)seconds;
        times[3] = 0;
        int rc;
        fixed (byte* p = native.Terminated) rc = Utimensat(Fd, p, times, AT_SYMLINK_NOFOLLOW);
        Check(rc, "utimensat", name);
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private static void Check(int rc, string operation, ReadOnlySpan<byte> name)
    {
        if (rc != 0) throw new PosixException(operation, Marshal.GetLastPInvokeError(), name);
    }
}
