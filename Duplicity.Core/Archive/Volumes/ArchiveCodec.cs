using Duplicity.Archive.Naming;
using Duplicity.Crypto;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Archive.Volumes;

/// <summary>
/// How a session stores and reads duplicity files: OpenPGP when encrypting (gpg compresses, the
/// suffix is <c>.gpg</c>), else gzip (<c>.gz</c>) unless compression is off; manifests are never
/// gzipped. Reading follows each file's own suffix, so mixed repositories read correctly.
/// </summary>
internal sealed class ArchiveCodec
{
    private readonly DecryptionOptions? _decryption;
    private readonly VolumeEncoding? _writer;
    private readonly GnuPGOptions? _gnupg;
    private readonly ILogger _logger;
    private VolumeEncoding? _reader;

    private ArchiveCodec(bool encrypt, bool compress, VolumeEncoding? writer, DecryptionOptions? decryption, GnuPGOptions? gnupg, ILogger? logger)
    {
        Encrypt = encrypt;
        Compress = compress;
        _writer = writer;
        _decryption = decryption;
        _gnupg = gnupg;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>True when files are written OpenPGP-encrypted.</summary>
    public bool Encrypt { get; }

    /// <summary>True when unencrypted volumes and signatures are gzipped.</summary>
    public bool Compress { get; }

    /// <summary>A codec for reading only (restore, verify, list, sync); <paramref name="gnupg"/> set selects the gpg program over the in-process engine.</summary>
    public static ArchiveCodec ForReading(DecryptionOptions? decryption, GnuPGOptions? gnupg = null, ILogger? logger = null) =>
        new(false, true, null, decryption, gnupg, logger);

    /// <summary>A codec for a backup; passphrase backups can also read what they wrote without extra options.</summary>
    public static async Task<ArchiveCodec> ForWritingAsync(EncryptionOptions? encryption, DecryptionOptions? decryption, bool compress,
        GnuPGOptions? gnupg, ILogger? logger, CancellationToken cancellationToken)
    {
        if (encryption is not { IsEncrypted: true }) return new ArchiveCodec(false, compress, null, decryption, gnupg, logger);
        decryption ??= new DecryptionOptions { Keyring = encryption.Keyring, PassphraseSource = encryption.PassphraseSource };
        var writer = await CreateEncodingAsync(gnupg, encryption, decryption, logger ?? NullLogger.Instance, cancellationToken).ConfigureAwait(false);
        return new ArchiveCodec(true, compress, writer, decryption, gnupg, logger);
    }

    private static async ValueTask<VolumeEncoding> CreateEncodingAsync(GnuPGOptions? gnupg, EncryptionOptions? encryption, DecryptionOptions decryption, ILogger logger, CancellationToken cancellationToken) =>
        gnupg != null
            ? await GnuPGVolumeEncoding.CreateAsync(gnupg, encryption, decryption, logger, cancellationToken).ConfigureAwait(false)
            : await OpenPgpVolumeEncoding.CreateAsync(encryption, decryption, cancellationToken).ConfigureAwait(false);

    /// <summary>The layer for volumes and signature files written now.</summary>
    public VolumeEncoding DataEncoding => Encrypt ? _writer! : Compress ? VolumeEncoding.Gzip : VolumeEncoding.Plain;

    /// <summary>The layer for manifests written now (never gzip).</summary>
    public VolumeEncoding ManifestEncoding => Encrypt ? _writer! : VolumeEncoding.Plain;

    /// <summary>A file name with this codec's suffix flags.</summary>
    public RemoteFileName Name(RemoteFileKind kind, long start, long end, int volume = 0)
    {
        bool manifest = kind is RemoteFileKind.FullManifest or RemoteFileKind.IncrementalManifest;
        return new RemoteFileName(kind, start, end, volume, IsEncrypted: Encrypt, IsCompressed: !Encrypt && Compress && !manifest);
    }

    /// <summary>Opens the plaintext of a stored file, choosing the layer from its name's suffix.</summary>
    public async ValueTask<Stream> OpenReadAsync(RemoteFileName name, Stream stored, CancellationToken cancellationToken)
    {
        var encoding = await ReadEncodingForAsync(name, cancellationToken).ConfigureAwait(false);
        return await encoding.UnwrapAsync(stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The reading layer for a set whose files carry <paramref name="name"/>'s suffix.</summary>
    public async ValueTask<VolumeEncoding> ReadEncodingForAsync(RemoteFileName name, CancellationToken cancellationToken)
    {
        if (!name.IsEncrypted) return name.IsCompressed ? VolumeEncoding.Gzip : VolumeEncoding.Plain;
        if (_reader == null && _writer == null)
            _reader = await CreateEncodingAsync(_gnupg, null, RequireDecryption(), _logger, cancellationToken).ConfigureAwait(false);
        return _writer ?? _reader!;
    }

    private DecryptionOptions RequireDecryption() => _decryption
        ?? throw new DuplicityException(DuplicityErrorCode.GpgFailed,
            "The backup is encrypted: a passphrase or secret key is needed to read it (no decryption options were given).");
}
