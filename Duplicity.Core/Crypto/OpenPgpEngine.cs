namespace Duplicity.Crypto;

/// <summary>Which OpenPGP implementation encrypts, signs, decrypts and checks the archive's files.</summary>
public enum OpenPgpEngine
{
    /// <summary>The SDK's own OpenPGP code (BouncyCastle and a fast AES path), in this process; the default.</summary>
    InProcess,

    /// <summary>
    /// The GnuPG program (<c>gpg</c>) as a child process, as duplicity itself works: keys on smartcards
    /// or held by gpg-agent work, and gpg's own keyring and options apply. Settings in <see cref="GnuPGOptions"/>.
    /// </summary>
    GnuPGBinary,
}
