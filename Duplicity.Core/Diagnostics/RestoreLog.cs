using Duplicity.Files;
using Microsoft.Extensions.Logging;

namespace Duplicity.Diagnostics;

/// <summary>
/// Messages of restores: plain facts with typed values. The value names are part of each event's
/// contract (see <see cref="DuplicityEventIds"/>); a host renders its own words from them.
/// </summary>
internal static partial class RestoreLog
{
    /// <param name="logger">The logger.</param>
    /// <param name="lastFullBackupTime">When the last full backup ended; null when there is none.</param>
    [LoggerMessage(EventId = DuplicityEventIds.RestoreLastFullBackupDate, Level = LogLevel.Information, Message = "Last full backup time: {LastFullBackupTime}")]
    public static partial void LastFullBackupDate(ILogger logger, DateTimeOffset? lastFullBackupTime);

    [LoggerMessage(EventId = DuplicityEventIds.RestoreVolumeWithoutHash, Level = LogLevel.Warning, Message = "The manifest has no hash for {Volume}: it cannot be verified before use.")]
    public static partial void VolumeWithoutHash(ILogger logger, string volume);

    /// <param name="logger">The logger.</param>
    /// <param name="volumes">The volume names, in the order they are read.</param>
    [LoggerMessage(EventId = DuplicityEventIds.RestoreRequiredVolumes, Level = LogLevel.Information, Message = "The restore needs the volumes {Volumes}")]
    public static partial void RequiredVolumes(ILogger logger, IEnumerable<string> volumes);

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

    [LoggerMessage(EventId = DuplicityEventIds.RestoreSpecialFileSkipped, Level = LogLevel.Warning, Message = "Not restoring {Path}: {Reason}.")]
    public static partial void SpecialFileSkipped(ILogger logger, IndexPath path, string reason);

    [LoggerMessage(EventId = DuplicityEventIds.RestoreVolumeSkipped, Level = LogLevel.Warning, Message = "The hash of {Volume} is {CalculatedHash}, the manifest says {ManifestHash}: the volume is left out, as asked.")]
    public static partial void VolumeSkipped(ILogger logger, string volume, string calculatedHash, string manifestHash);

    [LoggerMessage(EventId = DuplicityEventIds.RestoreFileIncomplete, Level = LogLevel.Warning, Message = "Not restoring {Path}: part of its content was in a left-out volume.")]
    public static partial void FileIncomplete(ILogger logger, IndexPath path);

    [LoggerMessage(EventId = DuplicityEventIds.RestoreMetadataErrorIgnored, Level = LogLevel.Warning, Message = "Ignoring a failure to set the metadata of {Path}, as asked: {Error}")]
    public static partial void MetadataErrorIgnored(ILogger logger, IndexPath path, string error);

    /// <param name="logger">The logger.</param>
    /// <param name="volume">The volume file.</param>
    /// <param name="path">The entry at the point.</param>
    /// <param name="offset">The point's offset in the stored file.</param>
    [LoggerMessage(EventId = DuplicityEventIds.RestoreSeekPointUsed, Level = LogLevel.Debug, Message = "Reading {Volume} from offset {Offset}, at {Path}")]
    public static partial void SeekPointUsed(ILogger logger, string volume, IndexPath path, long offset);

    /// <param name="logger">The logger.</param>
    /// <param name="volume">The volume file.</param>
    [LoggerMessage(EventId = DuplicityEventIds.RestoreSeekPointRejected, Level = LogLevel.Warning, Message = "The seek index does not match {Volume}; reading it from its start.")]
    public static partial void SeekPointRejected(ILogger logger, string volume);
}
