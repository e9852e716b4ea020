namespace Duplicity.Sessions;

/// <summary>What a finished restore wrote.</summary>
public sealed record RestoreResult
{
    /// <summary>Objects written (files, directories, links, ...).</summary>
    public required long ObjectsRestored { get; init; }
    /// <summary>Bytes of file content written.</summary>
    public required long BytesRestored { get; init; }
    /// <summary>The time of the newest backup set used.</summary>
    public required DateTimeOffset BackupTime { get; init; }
    /// <summary>Volumes downloaded.</summary>
    public required int VolumesRead { get; init; }
    /// <summary>Files restored without their set-uid/set-gid bits (see <see cref="RestoreOptions.AllowSetIdBits"/>).</summary>
    public long SetIdBitsDropped { get; init; }
    /// <summary>Device nodes in the backup that were not created (see <see cref="RestoreOptions.AllowDeviceFiles"/>).</summary>
    public long DeviceFilesSkipped { get; init; }
    /// <summary>Volumes left out because their hash did not match the manifest (only with <see cref="RestoreOptions.IgnoreErrors"/>), in reading order.</summary>
    public IReadOnlyList<string> SkippedVolumes { get; init; } = [];
    /// <summary>Files not written because part of their content was in a left-out volume (paths as restored), in order.</summary>
    public IReadOnlyList<string> IncompleteFiles { get; init; } = [];
    /// <summary>Failures to set an owner, permissions or mtime that were only warned of (see <see cref="RestoreOptions.IgnoreErrors"/>).</summary>
    public long MetadataErrorsIgnored { get; init; }
}
