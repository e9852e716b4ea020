namespace Duplicity.Backends;

/// <summary>Turns file-system exceptions into <see cref="BackendException"/>s of the right kind.</summary>
internal static class FileErrorTranslator
{
    // errno values on Linux/macOS: .NET puts the raw errno in IOException.HResult for errors it has no type for.
    private const int EnoSpc = 28;
    private const int EdQuotLinux = 122;
    private const int EdQuotMac = 69;
    // Win32 ERROR_HANDLE_DISK_FULL and ERROR_DISK_FULL as HRESULTs.
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);
    private const int WindowsDiskFull = unchecked((int)0x80070070);

    /// <summary>Whether an exception comes from the file system (and so should be translated).</summary>
    public static bool IsFileSystemError(Exception exception) =>
        exception is IOException or UnauthorizedAccessException;

    /// <summary>Classifies a file-system exception.</summary>
    public static BackendErrorKind KindOf(Exception exception) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException => BackendErrorKind.NotFound,
        UnauthorizedAccessException => BackendErrorKind.PermissionDenied,
        IOException io when IsDiskFull(io.HResult) => BackendErrorKind.NoSpace,
        PathTooLongException => BackendErrorKind.Permanent,
        // Anything else (EIO, a stale NFS handle, ...) may well pass on a second try.
        _ => BackendErrorKind.Transient,
    };

    /// <summary>Wraps <paramref name="exception"/> with a message naming what was being done where.</summary>
    public static BackendException Translate(Exception exception, string action, string displayName) =>
        new(KindOf(exception), $"Could not {action} in {displayName}: {exception.Message}", exception);

    private static bool IsDiskFull(int hResult) => OperatingSystem.IsWindows()
        ? hResult is WindowsDiskFull or WindowsHandleDiskFull
        : hResult is EnoSpc || (OperatingSystem.IsMacOS() ? hResult == EdQuotMac : hResult == EdQuotLinux);
}
