namespace Duplicity;

/// <summary>
/// An archive file (volume, signature file or manifest) is malformed, truncated or hostile.
/// </summary>
public class ArchiveCorruptException : DuplicityException
{
    /// <summary>Creates the error; the code defaults to <see cref="DuplicityErrorCode.Generic"/>.</summary>
    public ArchiveCorruptException(string message, Exception? innerException = null, DuplicityErrorCode code = DuplicityErrorCode.Generic)
        : base(code, message, innerException)
    {
    }
}
