using Duplicity.Files;
using Duplicity.Selection;
using Microsoft.Extensions.Logging;

namespace Duplicity.Diagnostics;

/// <summary>
/// Messages of backups: plain facts with typed values. The value names are part of each event's
/// contract (see <see cref="DuplicityEventIds"/>); a host renders its own words from them.
/// </summary>
internal static partial class BackupLog
{
    /// <param name="logger">The logger.</param>
    /// <param name="lastFullBackupTime">When the last full backup ended; null when there is none.</param>
    [LoggerMessage(EventId = DuplicityEventIds.BackupLastFullBackupDate, Level = LogLevel.Information, Message = "Last full backup time: {LastFullBackupTime}")]
    public static partial void LastFullBackupDate(ILogger logger, DateTimeOffset? lastFullBackupTime);

    [LoggerMessage(EventId = DuplicityEventIds.BackupSwitchingToFull, Level = LogLevel.Information, Message = "No signatures found; the backup runs as a full backup.")]
    public static partial void SwitchingToFull(ILogger logger);

    [LoggerMessage(EventId = DuplicityEventIds.BackupForcingFull, Level = LogLevel.Information, Message = "The last full backup is older than the full-if-older-than limit; a full backup runs.")]
    public static partial void ForcingFull(ILogger logger);

    [LoggerMessage(EventId = DuplicityEventIds.BackupVolumeUploaded, Level = LogLevel.Debug, Message = "Uploaded {Name} ({Size} bytes)")]
    public static partial void VolumeUploaded(ILogger logger, string name, long size);

    [LoggerMessage(EventId = DuplicityEventIds.BackupSourceProblem, Level = LogLevel.Warning, Message = "Source entry {Path} is skipped: {Kind} (errno {Errno})")]
    public static partial void SourceProblem(ILogger logger, SourceWalkProblemKind kind, IndexPath path, int errno);

    [LoggerMessage(EventId = DuplicityEventIds.BackupFileAdded, Level = LogLevel.Debug, Message = "New file {Path}")]
    public static partial void FileAdded(ILogger logger, IndexPath path);

    [LoggerMessage(EventId = DuplicityEventIds.BackupFileChanged, Level = LogLevel.Debug, Message = "Changed file {Path}")]
    public static partial void FileChanged(ILogger logger, IndexPath path);

    [LoggerMessage(EventId = DuplicityEventIds.BackupFileDeleted, Level = LogLevel.Debug, Message = "Deleted file {Path}")]
    public static partial void FileDeleted(ILogger logger, IndexPath path);

    [LoggerMessage(EventId = DuplicityEventIds.BackupFileChangedWhileReading, Level = LogLevel.Warning, Message = "Skipping {Path}: it changed while being backed up ({Error})")]
    public static partial void FileChangedWhileReading(ILogger logger, IndexPath path, string error);

    [LoggerMessage(EventId = DuplicityEventIds.BackupFileLocked, Level = LogLevel.Warning, Message = "Skipping {Path}: it cannot be opened, possibly locked ({Error})")]
    public static partial void FileLocked(ILogger logger, IndexPath path, string error);
}
