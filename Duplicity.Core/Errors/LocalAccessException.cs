namespace Duplicity;

/// <summary>
/// A local folder the operation needs (archive dir, temporary folder, restore target, source) cannot be
/// created, entered or written: permission denied, or a missing parent. Nothing under a final name is
/// left half-written; the backend is not changed by a backup that stops here.
/// </summary>
public sealed class LocalAccessException : DuplicityException
{
    /// <summary>Creates the error; <paramref name="innerException"/> is the failed file-system call.</summary>
    /// <param name="message">What could not be accessed, with the path.</param>
    /// <param name="innerException">The file-system error.</param>
    public LocalAccessException(string message, Exception? innerException = null)
        : base(DuplicityErrorCode.UserError, message, innerException)
    {
    }

    /// <summary>True for errors that mean a local path is not accessible (EACCES, EPERM, a missing folder).</summary>
    internal static bool IsAccessError(Exception e)
    {
        const int EPERM = 1, ENOENT = 2, EACCES = 13, EROFS = 30;
        if (e is Files.PosixException p) return p.Errno is EPERM or EACCES or EROFS or ENOENT;
        return e is UnauthorizedAccessException or DirectoryNotFoundException;
    }
}
