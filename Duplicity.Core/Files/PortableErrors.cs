namespace Duplicity.Files;

/// <summary>
/// Turns .NET's file exceptions into the errno values (Linux numbering) the rest of the code acts on, so the
/// portable layer fails the way the native one does: missing is ENOENT, refused is EACCES, full is ENOSPC.
/// </summary>
internal static class PortableErrors
{
    // Windows error codes (the low word of an IOException's HResult there).
    private const int ErrorFileNotFound = 2, ErrorPathNotFound = 3, ErrorAccessDenied = 5, ErrorFileExists = 80,
        ErrorAlreadyExists = 183, ErrorDiskFull = 112, ErrorHandleDiskFull = 39, ErrorDirNotEmpty = 145, ErrorPrivilegeNotHeld = 1314;

    /// <summary>The errno for a failure of a .NET file call.</summary>
    public static int ErrnoOf(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => PosixException.ENOENT,
        UnauthorizedAccessException => PosixException.EACCES,
        PosixException p => p.Errno,
        IOException io when OperatingSystem.IsWindows() => (io.HResult & 0xFFFF) switch
        {
            ErrorFileNotFound or ErrorPathNotFound => PosixException.ENOENT,
            ErrorAccessDenied or ErrorPrivilegeNotHeld => PosixException.EACCES,
            ErrorFileExists or ErrorAlreadyExists => PosixException.EEXIST,
            ErrorDiskFull or ErrorHandleDiskFull => PosixException.ENOSPC,
            ErrorDirNotEmpty => PosixException.ENOTEMPTY,
            _ => PosixException.EIO,
        },
        // On Unix .NET puts the raw errno in the HResult. The classic numbers (1-34) are the same on every
        // Unix; larger ones differ between Linux and the BSDs, so only Linux's are kept as they are.
        IOException io when io.HResult > 0 && (io.HResult <= PosixException.ERANGE || OperatingSystem.IsLinux()) => io.HResult,
        _ => PosixException.EIO,
    };

    /// <summary>True for the exceptions a .NET file call throws for the file system's reasons.</summary>
    public static bool IsFileError(Exception e) => e is IOException or UnauthorizedAccessException;

    /// <summary>A <see cref="PosixException"/> for a failed .NET file call.</summary>
    public static PosixException Wrap(string operation, Exception e, ReadOnlySpan<byte> path) => new(operation, ErrnoOf(e), path);
}
