using Microsoft.Extensions.Logging;

namespace Duplicity.Diagnostics;

/// <summary>
/// Messages of the archive cache and its temporary folders: plain facts with typed values. The
/// value names are part of each event's contract (see <see cref="DuplicityEventIds"/>).
/// </summary>
internal static partial class CacheLog
{
    [LoggerMessage(EventId = DuplicityEventIds.CacheSynchronized, Level = LogLevel.Information, Message = "The cache matches the backend; no synchronization is needed.")]
    public static partial void Synchronized(ILogger logger);

    /// <param name="logger">The logger.</param>
    /// <param name="names">The file names, in order.</param>
    [LoggerMessage(EventId = DuplicityEventIds.CacheSyncWouldCopy, Level = LogLevel.Information, Message = "A synchronization would copy {Names} from the backend into the cache.")]
    public static partial void SyncWouldCopy(ILogger logger, IEnumerable<string> names);

    /// <param name="logger">The logger.</param>
    /// <param name="names">The file names, in order.</param>
    [LoggerMessage(EventId = DuplicityEventIds.CacheSyncWouldRemove, Level = LogLevel.Information, Message = "A synchronization would remove {Names} from the cache: the backend does not have them.")]
    public static partial void SyncWouldRemove(ILogger logger, IEnumerable<string> names);

    [LoggerMessage(EventId = DuplicityEventIds.CacheSynchronizing, Level = LogLevel.Information, Message = "Synchronizing the cache with the backend.")]
    public static partial void Synchronizing(ILogger logger);

    [LoggerMessage(EventId = DuplicityEventIds.CacheDeletingLocal, Level = LogLevel.Information, Message = "Deleting the cache file {Path}: the backend does not have it.")]
    public static partial void DeletingLocal(ILogger logger, string path);

    [LoggerMessage(EventId = DuplicityEventIds.CacheCopying, Level = LogLevel.Information, Message = "Copying {Name} from the backend into the cache.")]
    public static partial void Copying(ILogger logger, string name);

    [LoggerMessage(EventId = DuplicityEventIds.StaleTempRemoved, Level = LogLevel.Debug, Message = "Removed temporary folder {Path} left by process {Pid}")]
    public static partial void StaleTempRemoved(ILogger logger, string path, int pid);

    [LoggerMessage(EventId = DuplicityEventIds.StaleTempNotRemoved, Level = LogLevel.Warning, Message = "Could not remove stale temporary folder {Path}: {Error}")]
    public static partial void StaleTempNotRemoved(ILogger logger, string path, string error);
}
