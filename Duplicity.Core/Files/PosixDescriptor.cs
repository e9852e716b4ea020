using System.Runtime.Versioning;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Duplicity.Files.PosixNative;

namespace Duplicity.Files;

/// <summary>Descriptor-level calls: open with explicit flags, fstat, and file status flags.</summary>
[SupportedOSPlatform("linux")]
internal static unsafe class PosixDescriptor
{
    private const int StatxBufferSize = 256;

    /// <summary>open(2) with the given flags; false and the errno on failure.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> path, int flags, out SafeFileHandle handle, out int errno)
    {
        Span<byte> scratch = stackalloc byte[NativePath.StackSize];
        using var native = new NativePath(path, scratch);
        int fd;
        fixed (byte* p = native.Terminated) fd = Open(p, flags, 0);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        handle = new SafeFileHandle(fd, ownsHandle: fd >= 0);
        return fd >= 0;
    }

    /// <summary>fstat: what the open descriptor refers to (statx with AT_EMPTY_PATH).</summary>
    public static PosixStat Fstat(SafeFileHandle handle)
    {
        byte* buf = stackalloc byte[StatxBufferSize];
        byte empty = 0;
        int rc;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            rc = Statx((int)handle.DangerousGetHandle(), &empty, AT_EMPTY_PATH, STATX_BASIC_STATS, buf);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
        if (rc != 0) throw new PosixException("fstat", Marshal.GetLastPInvokeError(), "<descriptor>"u8);
        return Posix.Decode(new ReadOnlySpan<byte>(buf, StatxBufferSize));
    }

    /// <summary>Clears O_NONBLOCK so reads of a regular file behave as usual.</summary>
    public static void ClearNonBlocking(SafeFileHandle handle)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            int flags = FcntlInt(fd, F_GETFL, 0);
            if (flags < 0 || FcntlInt(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
                throw new PosixException("fcntl", Marshal.GetLastPInvokeError(), "<descriptor>"u8);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }
}
