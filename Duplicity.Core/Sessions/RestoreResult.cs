namespace Duplicity.Sessions;

/// <summary>What a finished restore wrote.</summary>
public sealed record RestoreResult
{
    /// <summary>Objects written (files, directories, links, ...).</summary>
    public required long ObjectsRestored { get; init; }
    /// <summary>Bytes of file content written.</summary>
    public required long BytesRestored { get; init; }
    /// <summary>The time of the newest backup set used.</summary>
    public required long BackupTime { get; init; }
    /// <summary>Volumes downloaded.</summary>
    public required int VolumesRead { get; init; }
}
