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

    /// <param name="logger">The logger.</param>
    /// <param name="full">True for a full set.</param>
    /// <param name="time">The set's time, which the resumed run keeps.</param>
    [LoggerMessage(EventId = DuplicityEventIds.BackupResumingPartialSet, Level = LogLevel.Information, Message = "The last backup left a partial set (full: {Full}, time {Time}); resuming it.")]
    public static partial void ResumingPartialSet(ILogger logger, bool full, DateTimeOffset time);

    /// <param name="logger">The logger.</param>
    /// <param name="volume">The last volume kept.</param>
    /// <param name="path">The entry that ended it.</param>
    /// <param name="block">Its chunk number, 0 for a whole file.</param>
    [LoggerMessage(EventId = DuplicityEventIds.BackupRestartingAfterVolume, Level = LogLevel.Information, Message = "Resuming after volume {Volume}, path {Path}, block {Block}.")]
    public static partial void RestartingAfterVolume(ILogger logger, int volume, IndexPath path, int block);

    /// <param name="logger">The logger.</param>
    /// <param name="firstVolume">The first volume written again.</param>
    /// <param name="lastVolume">The last volume the partial manifest listed.</param>
    [LoggerMessage(EventId = DuplicityEventIds.BackupVolumesNotStored, Level = LogLevel.Information, Message = "Volumes {FirstVolume} to {LastVolume} are not known to be stored; they are written again.")]
    public static partial void VolumesNotStored(ILogger logger, int firstVolume, int lastVolume);

    /// <param name="logger">The logger.</param>
    /// <param name="manifestVolumes">Volumes the partial manifest lists.</param>
    /// <param name="storedVolumes">Volumes of the set on the backend.</param>
    [LoggerMessage(EventId = DuplicityEventIds.BackupPartialSetDiscarded, Level = LogLevel.Information, Message = "The partial set cannot be resumed ({ManifestVolumes} volumes in its manifest, {StoredVolumes} stored); it is deleted and a new set starts.")]
    public static partial void PartialSetDiscarded(ILogger logger, int manifestVolumes, int storedVolumes);

    /// <param name="logger">The logger.</param>
    /// <param name="path">The entry the kept volumes ended with.</param>
    /// <param name="sourceEnded">True when the source ended before it; false when the next path follows.</param>
    [LoggerMessage(EventId = DuplicityEventIds.BackupRestartEntryMissing, Level = LogLevel.Warning, Message = "The resume position {Path} is no longer in the source (source ended: {SourceEnded}); continuing with what follows it.")]
    public static partial void RestartEntryMissing(ILogger logger, IndexPath path, bool sourceEnded);

    [LoggerMessage(EventId = DuplicityEventIds.BackupResumeSourceChanged, Level = LogLevel.Warning, Message = "The source changed at {Path} since the interrupted backup stored it; the partial set is deleted and a new set is made.")]
    public static partial void ResumeSourceChanged(ILogger logger, IndexPath path);

    /// <param name="logger">The logger.</param>
    /// <param name="names">The signature files deleted.</param>
    [LoggerMessage(EventId = DuplicityEventIds.BackupUncommittedSignaturesDeleted, Level = LogLevel.Information, Message = "Deleted signature files of sets without manifest: {Names}")]
    public static partial void UncommittedSignaturesDeleted(ILogger logger, IReadOnlyList<string> names);

    /// <param name="logger">The logger.</param>
    /// <param name="reason">What the file system answered.</param>
    [LoggerMessage(EventId = DuplicityEventIds.BackupSeekIndexNotWritten, Level = LogLevel.Warning, Message = "The seek index of the set was not written ({Reason}); restores of single paths will read its volumes from their start.")]
    public static partial void SeekIndexNotWritten(ILogger logger, string reason);
}
