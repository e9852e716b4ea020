namespace Duplicity.Sessions;

/// <summary>The numbers duplicity prints after a backup (its "Backup Statistics" block).</summary>
public sealed record BackupStatistics
{
    /// <summary>Start of the run.</summary>
    public DateTimeOffset StartTime { get; init; }
    /// <summary>End of the run.</summary>
    public DateTimeOffset EndTime { get; init; }
    /// <summary>How long the run took.</summary>
    public TimeSpan ElapsedTime => EndTime - StartTime;
    /// <summary>Every selected object, directories included.</summary>
    public long SourceFiles { get; init; }
    /// <summary>Total stat size of the selected objects.</summary>
    public long SourceFileSize { get; init; }
    /// <summary>Objects stored as snapshots.</summary>
    public long NewFiles { get; init; }
    /// <summary>Size of the objects stored as snapshots.</summary>
    public long NewFileSize { get; init; }
    /// <summary>Objects recorded as deleted.</summary>
    public long DeletedFiles { get; init; }
    /// <summary>Objects stored as deltas.</summary>
    public long ChangedFiles { get; init; }
    /// <summary>Size of the objects stored as deltas.</summary>
    public long ChangedFileSize { get; init; }
    /// <summary>Always 0, as in duplicity.</summary>
    public long ChangedDeltaSize { get; init; }
    /// <summary>New + changed + deleted.</summary>
    public long DeltaEntries { get; init; }
    /// <summary>Bytes of file and delta data written into the volumes.</summary>
    public long RawDeltaSize { get; init; }
    /// <summary>Bytes of volumes uploaded.</summary>
    public long TotalDestinationSizeChange { get; init; }
    /// <summary>Objects that could not be read.</summary>
    public long Errors { get; init; }
}
