namespace Duplicity.Sessions.Backup;

/// <summary>Counts what a backup reads and writes; becomes <see cref="BackupStatistics"/> at the end.</summary>
internal sealed class StatisticsCollector
{
    public DateTimeOffset StartTime;
    public long SourceFiles, SourceFileSize, NewFiles, NewFileSize, DeletedFiles, ChangedFiles, ChangedFileSize;
    public long RawDeltaSize, Errors;
    private long _destinationSize;

    public void AddUploaded(long bytes) => Interlocked.Add(ref _destinationSize, bytes);

    public BackupStatistics ToStatistics(DateTimeOffset endTime) => new()
    {
        StartTime = StartTime,
        EndTime = endTime,
        SourceFiles = SourceFiles,
        SourceFileSize = SourceFileSize,
        NewFiles = NewFiles,
        NewFileSize = NewFileSize,
        DeletedFiles = DeletedFiles,
        ChangedFiles = ChangedFiles,
        ChangedFileSize = ChangedFileSize,
        DeltaEntries = NewFiles + ChangedFiles + DeletedFiles,
        RawDeltaSize = RawDeltaSize,
        TotalDestinationSizeChange = Interlocked.Read(ref _destinationSize),
        Errors = Errors,
    };
}
