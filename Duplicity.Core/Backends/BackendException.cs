namespace Duplicity.Backends;

/// <summary>
/// A storage operation failed. <see cref="Kind"/> says what kind of failure it was;
/// <see cref="DuplicityException.Code"/> carries duplicity's exit code for it. Messages never contain
/// passwords: backends build them from <see cref="IBackend.DisplayName"/> or <see cref="BackendUrl.Redact"/>.
/// </summary>
/// <remarks>
/// Default codes (<see cref="CodeFor"/>): <see cref="BackendErrorKind.NotFound"/> → 52,
/// <see cref="BackendErrorKind.PermissionDenied"/> → 51, <see cref="BackendErrorKind.NoSpace"/> → 53,
/// and both <see cref="BackendErrorKind.Transient"/> and <see cref="BackendErrorKind.Permanent"/> → 50,
/// because duplicity reports every backend failure it cannot classify as <c>backend_error</c> (50) once it
/// gives up; 54 (<see cref="DuplicityErrorCode.BackendCommandError"/>) is only used when a backend passes
/// it explicitly.
/// </remarks>
public class BackendException : DuplicityException
{
    /// <summary>Creates the error with the default code for <paramref name="kind"/>.</summary>
    /// <param name="kind">What kind of failure this is.</param>
    /// <param name="message">A message without secrets.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public BackendException(BackendErrorKind kind, string message, Exception? innerException = null)
        : this(kind, message, innerException, CodeFor(kind))
    {
    }

    /// <summary>Creates the error with an explicit duplicity code.</summary>
    /// <param name="kind">What kind of failure this is.</param>
    /// <param name="message">A message without secrets.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    /// <param name="code">duplicity's exit code for this error.</param>
    public BackendException(BackendErrorKind kind, string message, Exception? innerException, DuplicityErrorCode code)
        : base(code, message, innerException)
    {
        Kind = kind;
    }

    /// <summary>What kind of failure this is.</summary>
    public BackendErrorKind Kind { get; }

    /// <summary>Whether retrying the same operation may succeed (only <see cref="BackendErrorKind.Transient"/>).</summary>
    public bool IsTransient => Kind == BackendErrorKind.Transient;

    /// <summary>duplicity's exit code for a kind of backend failure.</summary>
    /// <param name="kind">The kind of failure.</param>
    public static DuplicityErrorCode CodeFor(BackendErrorKind kind) => kind switch
    {
        BackendErrorKind.NotFound => DuplicityErrorCode.BackendNotFound,
        BackendErrorKind.PermissionDenied => DuplicityErrorCode.BackendPermissionDenied,
        BackendErrorKind.NoSpace => DuplicityErrorCode.BackendNoSpace,
        _ => DuplicityErrorCode.BackendGaveUp,
    };
}
