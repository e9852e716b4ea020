namespace Duplicity.Sessions;

/// <summary>Progress of a backup or restore, reported through <see cref="IProgress{T}"/>.</summary>
public readonly record struct TransferProgress
{
    /// <summary>Bytes of file data processed so far.</summary>
    public long BytesProcessed { get; init; }
    /// <summary>Estimated total bytes (0 when unknown).</summary>
    public long BytesTotal { get; init; }
    /// <summary>Objects processed so far.</summary>
    public long FilesProcessed { get; init; }
    /// <summary>The path being processed (relative to the backup root).</summary>
    public string? CurrentPath { get; init; }
    /// <summary>Volumes completed so far.</summary>
    public int VolumesDone { get; init; }
}
