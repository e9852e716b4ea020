using Microsoft.Extensions.Logging;

namespace Duplicity.Diagnostics;

/// <summary>Messages of the archive cache and its temporary folders (duplicity's texts: the console prints them).</summary>
internal static partial class CacheLog
{
    [LoggerMessage(EventId = DuplicityEventIds.CacheSynchronized, Level = LogLevel.Information, Message = "Local and Remote metadata are synchronized, no sync needed.")]
    public static partial void Synchronized(ILogger logger);

    /// <param name="logger">The logger.</param>
    /// <param name="names">The file names, one a line (duplicity's layout).</param>
    [LoggerMessage(EventId = DuplicityEventIds.CacheSyncWouldCopy, Level = LogLevel.Information, Message = "Sync would copy the following from remote to local:\n{Names}")]
    public static partial void SyncWouldCopy(ILogger logger, string names);

    /// <param name="logger">The logger.</param>
    /// <param name="names">The file names, one a line (duplicity's layout).</param>
    [LoggerMessage(EventId = DuplicityEventIds.CacheSyncWouldRemove, Level = LogLevel.Information, Message = "Sync would remove the following spurious local files:\n{Names}")]
    public static partial void SyncWouldRemove(ILogger logger, string names);

    [LoggerMessage(EventId = DuplicityEventIds.CacheSynchronizing, Level = LogLevel.Information, Message = "Synchronizing remote metadata to local cache...")]
    public static partial void Synchronizing(ILogger logger);

    [LoggerMessage(EventId = DuplicityEventIds.CacheDeletingLocal, Level = LogLevel.Information, Message = "Deleting local {Path} (not authoritative at backend).")]
    public static partial void DeletingLocal(ILogger logger, string path);

    [LoggerMessage(EventId = DuplicityEventIds.CacheCopying, Level = LogLevel.Information, Message = "Copying {Name} to local cache.")]
    public static partial void Copying(ILogger logger, string name);

    [LoggerMessage(EventId = DuplicityEventIds.StaleTempRemoved, Level = LogLevel.Debug, Message = "Removed temporary folder {Path} left by process {Pid}")]
    public static partial void StaleTempRemoved(ILogger logger, string path, int pid);

    [LoggerMessage(EventId = DuplicityEventIds.StaleTempNotRemoved, Level = LogLevel.Warning, Message = "Could not remove stale temporary folder {Path}: {Error}")]
    public static partial void StaleTempNotRemoved(ILogger logger, string path, string error);
}
