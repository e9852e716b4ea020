namespace Duplicity.Sessions;

/// <summary>What a finished backup made.</summary>
public sealed record BackupResult
{
    /// <summary>True for a full backup, false for an incremental.</summary>
    public required bool IsFull { get; init; }
    /// <summary>The backup's time (seconds since the epoch), as in its file names.</summary>
    public required long Time { get; init; }
    /// <summary>For an incremental, the end time of the set it builds on.</summary>
    public long? PreviousTime { get; init; }
    /// <summary>Number of volumes written.</summary>
    public required int VolumeCount { get; init; }
    /// <summary>The statistics duplicity prints.</summary>
    public required BackupStatistics Statistics { get; init; }
}
