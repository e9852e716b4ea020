namespace Duplicity.Sessions;

/// <summary>Settings of one restore (duplicity's restore options).</summary>
public sealed class RestoreOptions
{
    /// <summary>The folder (or, with <see cref="Path"/> naming a file, the file) to create.</summary>
    public required string Target { get; init; }

    /// <summary>Restore only this path of the backup (<c>--file-to-restore</c>); null restores everything.</summary>
    public string? Path { get; init; }

    /// <summary>The time to restore (<c>--time</c>): the state of the last backup at or before it; null means now (the latest backup).</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>Allow restoring into a non-empty target (<c>--force</c>).</summary>
    public bool Force { get; init; }

    /// <summary>How file owners are restored.</summary>
    public OwnershipRestore Ownership { get; init; } = OwnershipRestore.ByName;

    /// <summary>Only tell which volumes would be read (<c>--dry-run</c>): nothing is written or cached.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Restore set-uid/set-gid bits of files when running as root (true, duplicity's behaviour). An
    /// ordinary user never restores them: they are dropped with a warning and counted in
    /// <see cref="RestoreResult.SetIdBitsDropped"/>, as they are here when this is false.
    /// </summary>
    public bool AllowSetIdBits { get; init; } = true;

    /// <summary>
    /// Create character and block device nodes when running as root (true, duplicity's behaviour). An
    /// ordinary user cannot create them: they are skipped with a warning and counted in
    /// <see cref="RestoreResult.DeviceFilesSkipped"/>, as they are here when this is false.
    /// </summary>
    public bool AllowDeviceFiles { get; init; } = true;

    /// <summary>
    /// <c>--rename FROM TO</c> pairs: an object at FROM (a path relative to what is restored), or under it, is
    /// restored at TO instead. The longest matching FROM wins. Null or empty renames nothing.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Renames { get; init; }

    /// <summary>
    /// duplicity's <c>--ignore-errors</c>: a volume whose hash does not match the manifest is left out with a
    /// warning (instead of failing the restore with code 21) and the restore goes on with the next volume;
    /// failures to set an object's owner, permissions or mtime become warnings. Objects stored in a left-out
    /// volume are not restored. A file of which only part was in good volumes is not written at all (duplicity
    /// writes what it has under the file's name): each is warned of and listed in
    /// <see cref="RestoreResult.IncompleteFiles"/>, the volumes in <see cref="RestoreResult.SkippedVolumes"/>.
    /// </summary>
    public bool IgnoreErrors { get; init; }

    /// <summary>Checks the options before anything is written.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Target)) throw new ArgumentException("A restore target is required.", nameof(Target));
        Restore.PathRenames.Validate(Renames);
    }
}
