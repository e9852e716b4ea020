namespace Duplicity;

/// <summary>Turns the local file system's failures at an operation's boundary into the typed errors callers act on.</summary>
internal static class LocalFaults
{
    /// <summary>The typed error for <paramref name="e"/>, or null when it is not a local disk or access failure.</summary>
    public static DuplicityException? Translate(Exception e, string operation) => e switch
    {
        DuplicityException => null,
        _ when OutOfSpaceException.IsOutOfSpace(e) => new OutOfSpaceException($"{operation} stopped: no space left on the device ({e.Message}).", e),
        _ when LocalAccessException.IsAccessError(e) => new LocalAccessException($"{operation} stopped: {e.Message}", e),
        _ => null,
    };
}
