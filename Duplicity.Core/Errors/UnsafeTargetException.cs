namespace Duplicity;

/// <summary>
/// The restore target itself cannot be used safely: it is a symbolic link, or not a directory where a
/// tree must go. The target is never followed through a link, so the link's destination is untouched.
/// </summary>
public sealed class UnsafeTargetException : DuplicityException
{
    /// <summary>Creates the error for the target <paramref name="target"/>.</summary>
    public UnsafeTargetException(string target, string reason)
        : base(DuplicityErrorCode.UserError, $"Refusing to restore into '{target}': {reason}.")
    {
        Target = target;
    }

    /// <summary>The target path as given.</summary>
    public string Target { get; }
}
