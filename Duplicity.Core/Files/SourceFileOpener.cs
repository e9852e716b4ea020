using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using static Duplicity.Files.PosixNative;

namespace Duplicity.Files;

/// <summary>
/// Opens a source file for a backup without trusting the name: never follows a symlink, never waits
/// on a FIFO or device (O_NONBLOCK), and checks with fstat that the descriptor is the very object the
/// walk lstat'ed (same type, device and inode). Anything swapped in between is refused.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class SourceFileOpener
{
    /// <summary>The flags every source file is opened with.</summary>
    public static int OpenFlags => O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;

    /// <summary>Opens the regular file the walk saw at <paramref name="path"/>.</summary>
    /// <param name="path">The file's path (a trailing NUL is allowed).</param>
    /// <param name="walked">What the walk's lstat reported for it.</param>
    /// <param name="followSymlinks">The walk followed symlinks (its stat describes the target).</param>
    /// <exception cref="SourceFileChangedException">The name now refers to another object (symlink, FIFO, other file).</exception>
    /// <exception cref="PosixException">The file cannot be opened.</exception>
    public static SafeFileHandle Open(ReadOnlySpan<byte> path, in PosixStat walked, bool followSymlinks = false)
    {
        // With --copy-links the walk examined the symlink's target, so the open follows it too (the
        // device and inode check below still catches a target replaced in between).
        int flags = followSymlinks ? OpenFlags & ~O_NOFOLLOW : OpenFlags;
        if (!PosixDescriptor.TryOpen(path, flags, out var handle, out int errno))
        {
            handle.Dispose();
            // O_NOFOLLOW refuses a symlink with ELOOP: the regular file the walk saw was replaced by one.
            if (errno == PosixException.ELOOP && walked.IsRegular)
                throw new SourceFileChangedException(path, PosixStat.SymlinkBits);
            throw new PosixException("open", errno, path);
        }
        try
        {
            var now = PosixDescriptor.Fstat(handle);
            if (now.TypeBits != walked.TypeBits || now.DeviceId != walked.DeviceId || now.Inode != walked.Inode)
                throw new SourceFileChangedException(path, now.TypeBits);
            if (now.IsRegular) PosixDescriptor.ClearNonBlocking(handle);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Asks the kernel to start reading the first <paramref name="length"/> bytes of the file into its
    /// cache and returns at once (posix_fadvise WILLNEED), so that many small files are fetched from the
    /// disk side by side instead of one after the other. Opened as <see cref="Open"/> opens, and best
    /// effort: a file that cannot be opened is simply not fetched ahead.
    /// </summary>
    public static void Prefetch(ReadOnlySpan<byte> path, long length, bool followSymlinks = false)
    {
        int flags = followSymlinks ? OpenFlags & ~O_NOFOLLOW : OpenFlags;
        if (!PosixDescriptor.TryOpen(path, flags, out var handle, out _))
        {
            handle.Dispose();
            return;
        }
        using (handle)
        {
            _ = PosixFadvise((int)handle.DangerousGetHandle(), 0, length, POSIX_FADV_WILLNEED);
        }
    }
}
