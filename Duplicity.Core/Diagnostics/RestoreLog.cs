using Duplicity.Files;
using Microsoft.Extensions.Logging;

namespace Duplicity.Diagnostics;

/// <summary>Messages of restores (duplicity's texts where duplicity has them: the console prints them).</summary>
internal static partial class RestoreLog
{
    [LoggerMessage(EventId = DuplicityEventIds.RestoreLastFullBackupDate, Level = LogLevel.Information, Message = "Last full backup date: {Date}")]
    public static partial void LastFullBackupDate(ILogger logger, string date);

    [LoggerMessage(EventId = DuplicityEventIds.RestoreVolumeWithoutHash, Level = LogLevel.Warning, Message = "The manifest has no hash for {Volume}: it cannot be verified before use.")]
    public static partial void VolumeWithoutHash(ILogger logger, string volume);

    /// <param name="logger">The logger.</param>
    /// <param name="volumes">The volume names, one a line, each after a tab (duplicity's layout).</param>
    [LoggerMessage(EventId = DuplicityEventIds.RestoreRequiredVolumes, Level = LogLevel.Information, Message = "Required volumes to restore:\n\t{Volumes}")]
    public static partial void RequiredVolumes(ILogger logger, string volumes);

    [LoggerMessage(EventId = DuplicityEventIds.RestoreWriting, Level = LogLevel.Debug, Message = "Writing {Path} of type {Type}")]
    public static partial void Writing(ILogger logger, IndexPath path, FileEntryType type);

    [LoggerMessage(EventId = DuplicityEventIds.RestoreDeltaWithoutSnapshot, Level = LogLevel.Warning, Message = "Cannot restore {Path}: its history starts with a delta and has no snapshot.")]
    public static partial void DeltaWithoutSnapshot(ILogger logger, IndexPath path);

    [LoggerMessage(EventId = DuplicityEventIds.RestoreDeltaOnNonRegularFile, Level = LogLevel.Warning, Message = "Cannot restore {Path}: a delta applies to an object that is not a regular file.")]
    public static partial void DeltaOnNonRegularFile(ILogger logger, IndexPath path);

    [LoggerMessage(EventId = DuplicityEventIds.RestoreDeviceSkipped, Level = LogLevel.Warning, Message = "Not restoring device {Path}: {Reason}.")]
    public static partial void DeviceSkipped(ILogger logger, IndexPath path, string reason);

    [LoggerMessage(EventId = DuplicityEventIds.RestoreSetIdBitsDropped, Level = LogLevel.Warning, Message = "Not restoring the set-uid/set-gid bits of {Path}: {Reason}.")]
    public static partial void SetIdBitsDropped(ILogger logger, IndexPath path, string reason);
}
