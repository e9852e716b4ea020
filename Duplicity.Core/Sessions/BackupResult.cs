namespace Duplicity.Sessions;

/// <summary>What a finished backup made.</summary>
public sealed record BackupResult
{
    /// <summary>True for a full backup, false for an incremental.</summary>
    public required bool IsFull { get; init; }
    /// <summary>The backup's time, as in its file names (whole seconds).</summary>
    public required DateTimeOffset Time { get; init; }
    /// <summary>For an incremental, the end time of the set it builds on.</summary>
    public DateTimeOffset? PreviousTime { get; init; }
    /// <summary>Number of volumes of the set (for a resumed set, the kept ones included).</summary>
    public required int VolumeCount { get; init; }
    /// <summary>For a run that resumed an interrupted set: the last volume it kept from the interrupted run (those were not written again); null otherwise.</summary>
    public int? ResumedAfterVolume { get; init; }
    /// <summary>The statistics duplicity prints.</summary>
    public required BackupStatistics Statistics { get; init; }
}
