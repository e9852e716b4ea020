using Duplicity.Archive.Naming;
using Duplicity.Cache;

namespace Duplicity.Sessions;

/// <summary>Settings of a listing of the files in a backup (duplicity's <c>list-current-files</c>).</summary>
public sealed class ListOptions
{
    /// <summary>The time to list (seconds since the epoch); null means now.</summary>
    public long? Time { get; init; }

    /// <summary>Where the local archive cache lives; null uses the default root and a name derived from the backend.</summary>
    public ArchiveCacheOptions? Cache { get; init; }

    /// <summary>File-name prefixes and naming style.</summary>
    public FileNamingOptions FileNaming { get; init; } = new();

    /// <summary>Passphrase and/or secret keys to read encrypted backups (and the expected signer); null for unencrypted ones.</summary>
    public Crypto.DecryptionOptions? Decryption { get; init; }

    /// <summary>Clock used to interpret "now".</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
