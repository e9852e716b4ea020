namespace Duplicity.Crypto;

/// <summary>
/// How archive files are encrypted, as duplicity's <c>--encrypt-key</c>, <c>--hidden-encrypt-key</c>,
/// <c>--sign-key</c> and PASSPHRASE set it. Immutable; the <c>With...</c> methods return copies.
/// </summary>
public sealed record EncryptionOptions
{
    private EncryptionOptions() { }

    /// <summary>No encryption (duplicity's <c>--no-encryption</c>).</summary>
    public static EncryptionOptions None { get; } = new();

    /// <summary>Symmetric encryption with a passphrase (duplicity's default).</summary>
    public static EncryptionOptions Passphrase(IPassphraseSource passphrase)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        return new EncryptionOptions { PassphraseSource = passphrase };
    }

    /// <summary>
    /// Public-key encryption to <paramref name="recipients"/> (key ids or fingerprints found in <paramref name="keyring"/>).
    /// The keyring may be null with <see cref="OpenPgpEngine.GnuPGBinary"/>, which looks keys up in gpg's own keyring.
    /// </summary>
    public static EncryptionOptions PublicKey(OpenPgpKeyring? keyring, params string[] recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        foreach (var r in recipients) KeyIdentifier.Parse(r);
        return new EncryptionOptions { Keyring = keyring, Recipients = recipients.ToArray() };
    }

    /// <summary>True unless this is <see cref="None"/>.</summary>
    public bool IsEncrypted => PassphraseSource != null || Recipients.Count + HiddenRecipients.Count > 0;

    /// <summary>Passphrase for symmetric encryption, and for unlocking the signing key when no other source is given.</summary>
    public IPassphraseSource? PassphraseSource { get; init; }

    /// <summary>Where recipients and the signing key are looked up.</summary>
    public OpenPgpKeyring? Keyring { get; init; }

    /// <summary>Recipients named in the message (<c>--encrypt-key</c>).</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>Recipients whose key id is zeroed in the message (<c>--hidden-encrypt-key</c>).</summary>
    public IReadOnlyList<string> HiddenRecipients { get; init; } = [];

    /// <summary>Key to sign with (<c>--sign-key</c>), or null for no signature.</summary>
    public string? SignKey { get; init; }

    /// <summary>Passphrase of the signing key (duplicity's SIGN_PASSPHRASE); falls back to <see cref="PassphraseSource"/>.</summary>
    public IPassphraseSource? SignPassphraseSource { get; init; }

    /// <summary>Compress the literal data with ZIP at level 6 as gpg does (default); off for speed.</summary>
    public bool Compress { get; init; } = true;

    /// <summary>Adds recipients whose key ids are hidden (a null <paramref name="keyring"/> keeps the current one).</summary>
    public EncryptionOptions WithHiddenRecipients(OpenPgpKeyring? keyring, params string[] recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        foreach (var r in recipients) KeyIdentifier.Parse(r);
        return this with { Keyring = keyring ?? Keyring, HiddenRecipients = HiddenRecipients.Concat(recipients).ToArray() };
    }

    /// <summary>
    /// Signs with <paramref name="signKey"/>, taken from <paramref name="keyring"/> (which must hold its secret key;
    /// null keeps the current keyring, or leaves the lookup to gpg with <see cref="OpenPgpEngine.GnuPGBinary"/>).
    /// </summary>
    public EncryptionOptions WithSignKey(OpenPgpKeyring? keyring, string signKey, IPassphraseSource? signPassphrase = null)
    {
        KeyIdentifier.Parse(signKey);
        return this with { Keyring = keyring ?? Keyring, SignKey = signKey, SignPassphraseSource = signPassphrase ?? SignPassphraseSource };
    }

    /// <summary>Turns compression on or off.</summary>
    public EncryptionOptions WithCompression(bool compress) => this with { Compress = compress };

    /// <summary>Never shows secrets.</summary>
    public override string ToString() =>
        $"EncryptionOptions(recipients={Recipients.Count}, hidden={HiddenRecipients.Count}, passphrase={(PassphraseSource != null ? "set" : "none")}, sign={SignKey ?? "none"}, compress={Compress})";
}

/// <summary>How archive files are decrypted and checked on restore.</summary>
public sealed record DecryptionOptions
{
    /// <summary>Secret keys for public-key messages and public keys for signature checks.</summary>
    public OpenPgpKeyring? Keyring { get; init; }

    /// <summary>Passphrase of symmetric messages and of protected secret keys.</summary>
    public IPassphraseSource? PassphraseSource { get; init; }

    /// <summary>
    /// When set (<c>--sign-key</c> on restore), every message must carry a good signature by this key,
    /// else <see cref="DuplicityErrorCode.UnsignedVolume"/> (22).
    /// </summary>
    public string? ExpectedSignKey { get; init; }

    /// <summary>
    /// Accept encrypted data without an integrity check (old OpenPGP "symmetrically encrypted data"
    /// packets, tag 9, as written by gpg before 2.x with <c>--rfc2440</c> or <c>--disable-mdc</c>).
    /// Off by default: such data can be altered undetectably, and an attacker can strip the check
    /// from a modern message, so it is refused with <see cref="UnprotectedDataException"/> unless
    /// the caller knowingly restores a legacy archive.
    /// </summary>
    public bool AllowLegacyUnprotectedData { get; init; }

    /// <summary>Tests only: decrypt everything with BouncyCastle's own stream, as when the fast path's self-check fails.</summary>
    internal bool DisableFastPath { get; init; }

    /// <summary>Never shows secrets.</summary>
    public override string ToString() =>
        $"DecryptionOptions(keyring={(Keyring != null ? "set" : "none")}, passphrase={(PassphraseSource != null ? "set" : "none")}, sign={ExpectedSignKey ?? "none"}, legacy={AllowLegacyUnprotectedData})";
}
