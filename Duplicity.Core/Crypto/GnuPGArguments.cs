namespace Duplicity.Crypto;

/// <summary>
/// The argument lists the GnuPG engine passes to gpg, in the shape duplicity 0.8's gpg layer builds
/// them (batch mode, loopback pinentry unless gpg-agent answers, the user's extra options after the
/// SDK's own). Passphrases never appear here: they go on gpg's standard input (<c>--passphrase-fd 0</c>).
/// </summary>
internal static class GnuPGArguments
{
    /// <summary>Arguments to encrypt (and maybe sign) the data on stdin to stdout.</summary>
    public static List<string> Encrypt(GnuPGOptions gnupg, EncryptionOptions encryption, bool passphraseOnStdin)
    {
        var args = Common(gnupg);
        if (encryption.SignKey != null) args.AddRange(["--default-key", encryption.SignKey]);
        foreach (var r in encryption.Recipients) args.AddRange(["--recipient", r]);
        foreach (var r in encryption.HiddenRecipients) args.AddRange(["--hidden-recipient", r]);
        bool symmetric = encryption.Recipients.Count + encryption.HiddenRecipients.Count == 0;
        if (symmetric) args.Add("--force-mdc");
        // Before the user's options, so --gpg-options "--compress-algo ..." still decides.
        if (!encryption.Compress) args.AddRange(["--compress-algo", "none"]);
        Finish(args, gnupg, passphraseOnStdin);
        if (encryption.SignKey != null) args.Add("--sign");
        args.Add(symmetric ? "--symmetric" : "--encrypt");
        return args;
    }

    /// <summary>Arguments to decrypt (and check the signature of) the message on stdin to stdout.</summary>
    public static List<string> Decrypt(GnuPGOptions gnupg, DecryptionOptions decryption, bool passphraseOnStdin)
    {
        var args = Common(gnupg);
        // gpg refuses data without an integrity check unless told; only a caller who accepts legacy data tells it.
        if (decryption.AllowLegacyUnprotectedData) args.Add("--ignore-mdc-error");
        Finish(args, gnupg, passphraseOnStdin);
        if (gnupg.SecretKeyring != null) args.AddRange(["--secret-keyring", gnupg.SecretKeyring]);
        args.Add("--decrypt");
        return args;
    }

    private static List<string> Common(GnuPGOptions gnupg)
    {
        var args = new List<string> { "--batch", "--no-tty" };
        if (gnupg.HomeDirectory != null) args.AddRange(["--homedir", gnupg.HomeDirectory]);
        args.Add("--no-secmem-warning");
        if (!gnupg.UseAgent) args.Add("--pinentry-mode=loopback");
        return args;
    }

    private static void Finish(List<string> args, GnuPGOptions gnupg, bool passphraseOnStdin)
    {
        args.AddRange(gnupg.ExtraArguments);
        // Status lines go to stderr with gpg's log, so one reader sees both and nothing extra is inherited.
        args.AddRange(["--status-fd", "2"]);
        if (passphraseOnStdin) args.AddRange(["--passphrase-fd", "0"]);
    }
}
