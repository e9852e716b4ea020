namespace Duplicity.Crypto;

/// <summary>
/// How the <see cref="OpenPgpEngine.GnuPGBinary"/> engine runs <c>gpg</c>: duplicity's
/// <c>--gpg-binary</c>, <c>--gpg-options</c>, <c>--use-agent</c> and <c>--encrypt-secret-keyring</c>.
/// Recipients and signing keys are looked up in gpg's own keyring; the <see cref="OpenPgpKeyring"/>
/// of <see cref="EncryptionOptions"/> and <see cref="DecryptionOptions"/> is not used by this engine.
/// </summary>
public sealed record GnuPGOptions
{
    /// <summary>The gpg program: a path, or a name looked up on <c>PATH</c> (default <c>gpg</c>). GnuPG 2.1 or later.</summary>
    public string BinaryPath { get; init; } = "gpg";

    /// <summary>The GnuPG home (<c>--homedir</c>); null leaves gpg's own choice (<c>GNUPGHOME</c>, else <c>~/.gnupg</c>).</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>
    /// Extra arguments appended to every gpg run after the SDK's own (duplicity's <c>--gpg-options</c>,
    /// one argument per item). Never put a passphrase here: it would be visible in the process list.
    /// </summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>
    /// Let gpg-agent supply passphrases (duplicity's <c>--use-agent</c>): no passphrase is asked for or
    /// passed to gpg, and gpg's pinentry is not put in loopback mode.
    /// </summary>
    public bool UseAgent { get; init; }

    /// <summary>
    /// A secret keyring file passed to gpg as <c>--secret-keyring</c> when decrypting a public-key
    /// repository (duplicity's <c>--encrypt-secret-keyring</c>). GnuPG 2.1 and later ignore it (their
    /// secret keys live in gpg-agent's store) and say so on stderr.
    /// </summary>
    public string? SecretKeyring { get; init; }

    /// <summary>Never shows the extra arguments (they might hold something secret).</summary>
    public override string ToString() =>
        $"GnuPGOptions(binary={BinaryPath}, home={HomeDirectory ?? "default"}, extra={ExtraArguments.Count}, agent={UseAgent}, secretKeyring={(SecretKeyring != null ? "set" : "none")})";
}
