namespace Duplicity.Backends;

/// <summary>What kind of failure a <see cref="BackendException"/> reports; decides whether retrying can help.</summary>
public enum BackendErrorKind
{
    /// <summary>A failure that may go away when the operation is retried (network drop, timeout, throttling).</summary>
    Transient,
    /// <summary>The file (or the backend's container/folder) does not exist. Retrying does not help.</summary>
    NotFound,
    /// <summary>A failure that retrying will not fix (bad request, unsupported operation, bad configuration).</summary>
    Permanent,
    /// <summary>The credentials do not allow the operation.</summary>
    PermissionDenied,
    /// <summary>The storage is full or a quota is exhausted.</summary>
    NoSpace,
}
