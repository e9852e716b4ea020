using Duplicity.Archive.Naming;

namespace Duplicity.Sessions;

/// <summary>Settings of one replicate run (duplicity's <c>replicate</c> options).</summary>
public sealed class ReplicateOptions
{
    /// <summary>Copy only files whose time is before this (seconds since the epoch); null means now.</summary>
    public long? Time { get; init; }

    /// <summary>How the source's encrypted files are read; null for unencrypted sources.</summary>
    public Crypto.DecryptionOptions? SourceDecryption { get; init; }

    /// <summary>How the copies are encrypted; null or None writes them unencrypted.</summary>
    public Crypto.EncryptionOptions? Encryption { get; init; }

    /// <summary>Gzip unencrypted copies (default). False is duplicity's <c>--no-compression</c>.</summary>
    public bool Compress { get; init; } = true;

    /// <summary>File-name prefixes and naming style, used for both sides.</summary>
    public FileNamingOptions FileNaming { get; init; } = new();

    /// <summary>Folder for temporary files; null uses the system temporary folder.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>Clock used to interpret "now".</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
