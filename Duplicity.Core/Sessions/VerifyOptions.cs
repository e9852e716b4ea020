using Duplicity.Archive.Naming;
using Duplicity.Cache;
using Duplicity.Selection;

namespace Duplicity.Sessions;

/// <summary>Settings of a verify: compare a backup at a time with a local folder.</summary>
public sealed class VerifyOptions
{
    /// <summary>The local folder (or, with <see cref="Path"/>, the local object) to compare with.</summary>
    public required string LocalPath { get; init; }

    /// <summary>Compare only this path of the backup (<c>--file-to-restore</c>); null compares everything.</summary>
    public string? Path { get; init; }

    /// <summary>The backup time to verify (seconds since the epoch); null means now.</summary>
    public long? Time { get; init; }

    /// <summary>Compare types, permissions, owners, mtimes and contents (<c>--compare-data</c>).
    /// Without it, as in duplicity 0.8.22, verify only proves the archive is complete and readable.</summary>
    public bool CompareData { get; init; }

    /// <summary>Which local files take part (the backup's include/exclude rules); null means all.</summary>
    public FileSelection? Selection { get; init; }

    /// <summary>Where the local archive cache lives.</summary>
    public ArchiveCacheOptions? Cache { get; init; }

    /// <summary>File-name prefixes and naming style.</summary>
    public FileNamingOptions FileNaming { get; init; } = new();

    /// <summary>Folder for temporary files; null uses the system temporary folder.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>Passphrase and/or secret keys to read encrypted backups (and the expected signer); null for unencrypted ones.</summary>
    public Crypto.DecryptionOptions? Decryption { get; init; }

    /// <summary>Clock used to interpret "now".</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
