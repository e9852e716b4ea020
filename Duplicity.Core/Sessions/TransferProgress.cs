namespace Duplicity.Sessions;

/// <summary>Progress of a backup or restore, reported through <see cref="IProgress{T}"/>.</summary>
public readonly record struct TransferProgress
{
    /// <summary>Bytes of file data processed so far.</summary>
    public long BytesProcessed { get; init; }
    /// <summary>
    /// Estimated total bytes of file data (0 when unknown). Backups know it only with
    /// <see cref="BackupOptions.EstimateTotalBytes"/>; files changing during the run make it an estimate,
    /// so <see cref="BytesProcessed"/> may pass it.
    /// </summary>
    public long BytesTotal { get; init; }
    /// <summary>Objects processed so far.</summary>
    public long FilesProcessed { get; init; }
    /// <summary>The path being processed (relative to the backup root).</summary>
    public string? CurrentPath { get; init; }
    /// <summary>Volumes completed so far.</summary>
    public int VolumesDone { get; init; }
}
