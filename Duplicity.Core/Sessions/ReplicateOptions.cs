namespace Duplicity.Sessions;

/// <summary>Settings of one replicate run (duplicity's <c>replicate</c> options).</summary>
public sealed class ReplicateOptions
{
    /// <summary>Copy only files whose time is before this (<c>--time</c>); null means now.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>How the copies are encrypted; null or None writes them unencrypted.</summary>
    public Crypto.EncryptionOptions? Encryption { get; init; }

    /// <summary>Gzip unencrypted copies (default). False is duplicity's <c>--no-compression</c>.</summary>
    public bool Compress { get; init; } = true;

}
