using Duplicity.Crypto;

namespace Duplicity.Archive.Volumes;

/// <summary>
/// The gpg layer of duplicity's volumes as a <see cref="VolumeEncoding"/>. Passphrases are asked for
/// and keys unlocked once, in <see cref="CreateAsync"/>, because Wrap/Unwrap are synchronous.
/// </summary>
internal sealed class OpenPgpVolumeEncoding : VolumeEncoding
{
    private readonly OpenPgpEncryptor? _encryptor;
    private readonly DecryptionOptions _decryption;
    private readonly string? _symmetricPassphrase;

    private OpenPgpVolumeEncoding(OpenPgpEncryptor? encryptor, DecryptionOptions decryption, string? symmetricPassphrase)
    {
        _encryptor = encryptor;
        _decryption = decryption;
        _symmetricPassphrase = symmetricPassphrase;
    }

    /// <summary>Prepares writing with <paramref name="encryption"/> (may be null for read-only) and reading with <paramref name="decryption"/>.</summary>
    public static async ValueTask<OpenPgpVolumeEncoding> CreateAsync(EncryptionOptions? encryption, DecryptionOptions decryption, CancellationToken cancellationToken = default)
    {
        var encryptor = encryption is { IsEncrypted: true } ? await OpenPgpEncryptor.CreateAsync(encryption, cancellationToken).ConfigureAwait(false) : null;
        string? passphrase = null;
        if (decryption.PassphraseSource != null)
            passphrase = await decryption.PassphraseSource.GetPassphraseAsync(new PassphraseRequest(PassphrasePurpose.Symmetric, null), cancellationToken).ConfigureAwait(false);
        return new OpenPgpVolumeEncoding(encryptor, decryption, passphrase);
    }

    public override Stream Wrap(Stream output) =>
        (_encryptor ?? throw new InvalidOperationException("no encryption options were given")).OpenWrite(output);

    public override async ValueTask<Stream> UnwrapAsync(Stream input, CancellationToken cancellationToken = default) =>
        // Restores read this ahead on another core (SetEntryReader wraps it in a ReadAheadStream).
        await new OpenPgpDecryptor(ReadOptions).OpenReadAsync(input, cancellationToken).ConfigureAwait(false);

    // A restore that expects signed volumes reads each to its end, where the signature is checked.
    public override bool SupportsSeekPoints => _decryption.ExpectedSignKey == null;

    public override ValueTask<Stream?> TryOpenAtAsync(Stream input, VolumeSeekPoint seek, CancellationToken cancellationToken = default) =>
        new OpenPgpDecryptor(ReadOptions).OpenAtAsync(input, seek.StoredOffset, seek.ChunkRemaining, cancellationToken);

    // The symmetric passphrase was fetched once up front, so it is not asked for again per volume.
    private DecryptionOptions ReadOptions =>
        _symmetricPassphrase == null ? _decryption : _decryption with { PassphraseSource = new FixedPassphraseSource(_symmetricPassphrase) };
}
