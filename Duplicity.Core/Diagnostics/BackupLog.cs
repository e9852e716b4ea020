using Duplicity.Files;
using Duplicity.Selection;
using Microsoft.Extensions.Logging;

namespace Duplicity.Diagnostics;

/// <summary>Messages of backups (duplicity's texts: the console prints them and maps them to machine-log codes).</summary>
internal static partial class BackupLog
{
    [LoggerMessage(EventId = DuplicityEventIds.BackupLastFullBackupDate, Level = LogLevel.Information, Message = "Last full backup date: {Date}")]
    public static partial void LastFullBackupDate(ILogger logger, string date);

    [LoggerMessage(EventId = DuplicityEventIds.BackupSwitchingToFull, Level = LogLevel.Information, Message = "No signatures found, switching to full backup.")]
    public static partial void SwitchingToFull(ILogger logger);

    [LoggerMessage(EventId = DuplicityEventIds.BackupForcingFull, Level = LogLevel.Information, Message = "Last full backup is too old, forcing full backup")]
    public static partial void ForcingFull(ILogger logger);

    [LoggerMessage(EventId = DuplicityEventIds.BackupVolumeUploaded, Level = LogLevel.Debug, Message = "Uploaded {Name} ({Size} bytes)")]
    public static partial void VolumeUploaded(ILogger logger, string name, long size);

    [LoggerMessage(EventId = DuplicityEventIds.BackupSourceProblem, Level = LogLevel.Warning, Message = "{Kind}: {Path} (errno {Errno})")]
    public static partial void SourceProblem(ILogger logger, SourceWalkProblemKind kind, IndexPath path, int errno);

    [LoggerMessage(EventId = DuplicityEventIds.BackupFileAdded, Level = LogLevel.Debug, Message = "A {Path}")]
    public static partial void FileAdded(ILogger logger, IndexPath path);

    [LoggerMessage(EventId = DuplicityEventIds.BackupFileChanged, Level = LogLevel.Debug, Message = "M {Path}")]
    public static partial void FileChanged(ILogger logger, IndexPath path);

    [LoggerMessage(EventId = DuplicityEventIds.BackupFileDeleted, Level = LogLevel.Debug, Message = "D {Path}")]
    public static partial void FileDeleted(ILogger logger, IndexPath path);

    [LoggerMessage(EventId = DuplicityEventIds.BackupFileChangedWhileReading, Level = LogLevel.Warning, Message = "Skipping {Path}: it changed while being backed up ({Error})")]
    public static partial void FileChangedWhileReading(ILogger logger, IndexPath path, string error);

    [LoggerMessage(EventId = DuplicityEventIds.BackupFileLocked, Level = LogLevel.Warning, Message = "Error accessing possibly locked file {Path}: {Error}")]
    public static partial void FileLocked(ILogger logger, IndexPath path, string error);
}
