using Duplicity.Selection;

namespace Duplicity.Sessions;

/// <summary>Settings of one backup run (duplicity's backup options).</summary>
public sealed class BackupOptions
{
    /// <summary>The folder to back up, as given by the user (it is recorded in the manifest).</summary>
    public required string Source { get; init; }

    /// <summary>Full, incremental, or automatic (the default).</summary>
    public BackupMode Mode { get; init; } = BackupMode.Auto;

    /// <summary>Volume size limit in bytes (duplicity's <c>--volsize</c>, default 200 MiB).</summary>
    public long VolumeSize { get; init; } = 200L * 1024 * 1024;

    /// <summary>Upper bound of the signature block size (<c>--max-blocksize</c>, default 2048).</summary>
    public int MaxBlockSize { get; init; } = 2048;

    /// <summary>The host name written into manifests; null uses this machine's name.</summary>
    public string? Hostname { get; init; }

    /// <summary>Which files to back up (duplicity's include/exclude rules); null backs up everything.</summary>
    public FileSelection? Selection { get; init; }

    /// <summary>Make a full backup instead of an incremental when the chain's full backup is older than this (<c>--full-if-older-than</c>).</summary>
    public TimeSpan? FullIfOlderThan { get; init; }

    /// <summary>Skip the check that host and source folder match the last backup (<c>--allow-source-mismatch</c>).</summary>
    public bool AllowSourceMismatch { get; init; }

    /// <summary>
    /// Back up what symlinks point to as files and folders instead of the links (<c>--copy-links</c>). A link whose
    /// target is missing is skipped with a warning.
    /// </summary>
    public bool CopyLinks { get; init; }

    /// <summary>Write <c>Filelist 0</c> into manifests (<c>--no-files-changed</c>).</summary>
    public bool NoFilesChanged { get; init; }

    /// <summary>Walk and compare only (<c>--dry-run</c>): log and count changes as if written, but read no file
    /// data and upload or cache nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Walk the selected source once before the backup so that progress reports carry
    /// <see cref="TransferProgress.BytesTotal"/> (the sum of the regular files' sizes). Costs one extra
    /// directory walk (metadata only) and is skipped when no progress reporter is given.
    /// </summary>
    public bool EstimateTotalBytes { get; init; }

    /// <summary>
    /// How many volumes may upload at once (default 1). A volume is always built while the previous one
    /// uploads; more uploads in flight hide a backend's per-request latency (duplicity's
    /// <c>--asynchronous-upload</c> in the console) at the cost of one volume of temporary disk space each.
    /// Volumes are recorded in the manifest in their order whatever order their uploads finish in.
    /// </summary>
    public int MaxUploadsInFlight { get; init; } = 1;

    /// <summary>Test hook: called just before a regular source file is opened (lets a test swap it after the walk's lstat).</summary>
    internal Action<SourceEntry>? BeforeSourceFileOpen { get; init; }

    /// <summary>Checks the options before anything is written.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Source)) throw new ArgumentException("A source folder is required.", nameof(Source));
        if (VolumeSize < 64 * 1024) throw new ArgumentException("The volume size must be at least 64 KiB.", nameof(VolumeSize));
        if (MaxUploadsInFlight is < 1 or > 64)
            throw new ArgumentException("Between 1 and 64 uploads may be in flight.", nameof(MaxUploadsInFlight));
        if (MaxBlockSize < 512 || MaxBlockSize % 512 != 0)
            throw new ArgumentException("The maximum block size must be a positive multiple of 512.", nameof(MaxBlockSize));
    }
}
