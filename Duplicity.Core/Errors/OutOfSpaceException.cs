namespace Duplicity;

/// <summary>
/// The disk filled up while restoring (duplicity's error 35, not enough space). The file being
/// written is discarded, so nothing partial is left under a final name.
/// </summary>
public sealed class OutOfSpaceException : DuplicityException
{
    /// <summary>Creates the error; <paramref name="innerException"/> is the failed write.</summary>
    public OutOfSpaceException(string message, Exception? innerException = null)
        : base(DuplicityErrorCode.NotEnoughFreeSpace, message, innerException)
    {
    }

    /// <summary>True for an I/O error that means "no space left on device" (ENOSPC) or "quota exceeded" (EDQUOT).</summary>
    internal static bool IsOutOfSpace(Exception e)
    {
        const int ENOSPC = 28, EDQUOT = 122;
        if (e is Files.PosixException p) return p.Errno is ENOSPC or EDQUOT;
        if (e is not IOException) return false;
        // .NET reports errno in HResult for Unix I/O errors; the message is the fallback.
        int code = e.HResult & 0xffff;
        return code is ENOSPC or EDQUOT || e.HResult == unchecked((int)0x80070070) // ERROR_DISK_FULL on Windows
            || e.Message.Contains("No space left on device", StringComparison.Ordinal);
    }
}
