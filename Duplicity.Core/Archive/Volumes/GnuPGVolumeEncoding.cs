using Duplicity.Crypto;
using Microsoft.Extensions.Logging;

namespace Duplicity.Archive.Volumes;

/// <summary>
/// The gpg layer done by the <c>gpg</c> program (<see cref="OpenPgpEngine.GnuPGBinary"/>): one gpg
/// process per file, streamed both ways. Passphrases are asked for once, in <see cref="CreateAsync"/>,
/// and not at all when gpg-agent supplies them.
/// </summary>
internal sealed class GnuPGVolumeEncoding : VolumeEncoding
{
    private readonly GnuPGOptions _gnupg;
    private readonly EncryptionOptions? _encryption;
    private readonly DecryptionOptions _decryption;
    private readonly string? _writePassphrase;
    private readonly string? _readPassphrase;
    private readonly ILogger _logger;

    private GnuPGVolumeEncoding(GnuPGOptions gnupg, EncryptionOptions? encryption, DecryptionOptions decryption, string? writePassphrase, string? readPassphrase, ILogger logger)
    {
        _gnupg = gnupg;
        _encryption = encryption;
        _decryption = decryption;
        _writePassphrase = writePassphrase;
        _readPassphrase = readPassphrase;
        _logger = logger;
    }

    /// <summary>Prepares writing with <paramref name="encryption"/> (may be null for read-only) and reading with <paramref name="decryption"/>.</summary>
    public static async ValueTask<GnuPGVolumeEncoding> CreateAsync(GnuPGOptions gnupg, EncryptionOptions? encryption, DecryptionOptions decryption, ILogger logger, CancellationToken cancellationToken)
    {
        if (encryption is not { IsEncrypted: true }) encryption = null;
        string? write = null, read = null;
        if (!gnupg.UseAgent)
        {
            if (encryption != null)
            {
                // gpg takes one passphrase per run: the signing key's when signing (as duplicity), else the symmetric one.
                bool symmetric = encryption.Recipients.Count + encryption.HiddenRecipients.Count == 0;
                if (encryption.SignKey != null && (encryption.SignPassphraseSource ?? encryption.PassphraseSource) is { } signSource)
                    write = await signSource.GetPassphraseAsync(new PassphraseRequest(PassphrasePurpose.SigningKey, encryption.SignKey), cancellationToken).ConfigureAwait(false);
                else if (symmetric)
                    write = await encryption.PassphraseSource!.GetPassphraseAsync(new PassphraseRequest(PassphrasePurpose.Symmetric, null), cancellationToken).ConfigureAwait(false);
            }
            // gpg decides from the message whether this unlocks a symmetric message or a secret key.
            if (decryption.PassphraseSource != null)
                read = await decryption.PassphraseSource.GetPassphraseAsync(new PassphraseRequest(PassphrasePurpose.Symmetric, null), cancellationToken).ConfigureAwait(false);
        }
        return new GnuPGVolumeEncoding(gnupg, encryption, decryption, write, read, logger);
    }

    public override Stream Wrap(Stream output)
    {
        var encryption = _encryption ?? throw new InvalidOperationException("no encryption options were given");
        var args = GnuPGArguments.Encrypt(_gnupg, encryption, _writePassphrase != null);
        return new GnuPGEncryptStream(GnuPGProcess.Start(_gnupg, "encrypt", args, _writePassphrase, _logger), output);
    }

    public override ValueTask<Stream> UnwrapAsync(Stream input, CancellationToken cancellationToken = default)
    {
        var args = GnuPGArguments.Decrypt(_gnupg, _decryption, _readPassphrase != null);
        var gpg = GnuPGProcess.Start(_gnupg, "decrypt", args, _readPassphrase, _logger);
        return ValueTask.FromResult<Stream>(new GnuPGDecryptStream(gpg, input, _decryption.ExpectedSignKey, cancellationToken));
    }
}
