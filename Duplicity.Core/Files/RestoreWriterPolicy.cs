namespace Duplicity.Files;

/// <summary>What a <see cref="RestoreTreeWriter"/> may create.</summary>
internal sealed record RestoreWriterPolicy
{
    /// <summary>How owners are restored; only honoured when running as root.</summary>
    public RestoreOwnershipMode Ownership { get; init; } = RestoreOwnershipMode.ByName;

    /// <summary>
    /// The root entry may be something other than a directory, which then becomes the target path
    /// itself (a restore of one file, link, pipe or device with --file-to-restore).
    /// </summary>
    public bool AllowSingleObject { get; init; }

    /// <summary>Keep set-uid/set-gid bits when running as root (an ordinary user never keeps them).</summary>
    public bool AllowSetIdBits { get; init; } = true;

    /// <summary>Create device nodes when running as root (an ordinary user never can).</summary>
    public bool AllowDeviceFiles { get; init; } = true;

    /// <summary>
    /// Entries may come out of index order (restore with <c>--rename</c>): the caller checks the archive's own
    /// order, and every directory's metadata waits for <see cref="RestoreTreeWriter.Complete"/>, deepest first.
    /// </summary>
    public bool Reordered { get; init; }

    /// <summary>
    /// duplicity's <c>--ignore-errors</c>: a failure to set an owner, permissions or mtime is a warning, and the
    /// other settings are still tried. A sign that the tree changed under the writer stays an error.
    /// </summary>
    public bool IgnoreMetadataErrors { get; init; }
}
