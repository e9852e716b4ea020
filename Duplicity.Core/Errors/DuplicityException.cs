namespace Duplicity;

/// <summary>
/// An error the user can act on. <see cref="Code"/> carries duplicity's numeric error code, which the
/// console uses as its exit code. Messages never contain secrets.
/// </summary>
public class DuplicityException : Exception
{
    /// <summary>Creates an error with duplicity's code and a message.</summary>
    public DuplicityException(DuplicityErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>duplicity's numeric error code for this error.</summary>
    public DuplicityErrorCode Code { get; }
}
