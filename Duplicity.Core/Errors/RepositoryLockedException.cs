namespace Duplicity;

/// <summary>
/// Another process (duplicity or this library) holds the archive directory's lock, so this
/// operation stopped before reading or changing the cache or the backend.
/// </summary>
public sealed class RepositoryLockedException : DuplicityException
{
    /// <summary>Creates the exception for the lock file at <paramref name="lockPath"/>.</summary>
    public RepositoryLockedException(string lockPath, Exception? innerException = null)
        : base(DuplicityErrorCode.UserError, "Another duplicity instance is already running with this archive directory", innerException)
    {
        LockPath = lockPath;
    }

    /// <summary>The lock file that is held (<c>lockfile</c> in the archive directory).</summary>
    public string LockPath { get; }
}
