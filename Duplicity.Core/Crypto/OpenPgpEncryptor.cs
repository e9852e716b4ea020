using Duplicity.IO;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Duplicity.Crypto;

/// <summary>
/// Writes OpenPGP messages in GnuPG 2.2's shape: SKESK or PKESKs, SEIPD v1 with MDC, ZIP-compressed
/// (optional; raw deflate compressed on all cores by <see cref="ParallelDeflateStream"/>), optional one-pass signature, binary literal data with an empty name, all streamed
/// with partial body lengths. Create once per backup (keys are resolved and unlocked here), then
/// <see cref="OpenWrite"/> per file.
/// </summary>
internal sealed class OpenPgpEncryptor
{
    private readonly string? _passphrase;
    private readonly List<(PgpPublicKey Key, bool Hidden)> _recipients;
    private readonly PgpPrivateKey? _signKey;
    private readonly PgpPublicKey? _signPublicKey;
    private readonly bool _compress;

    private OpenPgpEncryptor(string? passphrase, List<(PgpPublicKey, bool)> recipients, SecretKeyEntry? signSecret, PgpPrivateKey? signKey, bool compress)
    {
        _passphrase = passphrase;
        _recipients = recipients;
        _signKey = signKey;
        _signPublicKey = signSecret?.PublicKey;
        _compress = compress;
    }

    /// <summary>Resolves recipients, asks for the passphrases needed and unlocks the signing key.</summary>
    public static async ValueTask<OpenPgpEncryptor> CreateAsync(EncryptionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsEncrypted) throw new ArgumentException("options do not ask for encryption", nameof(options));
        var recipients = new List<(PgpPublicKey, bool)>();
        foreach (var r in options.Recipients) recipients.Add((Keyring(options).SelectEncryptionKey(r), false));
        foreach (var r in options.HiddenRecipients) recipients.Add((Keyring(options).SelectEncryptionKey(r), true));
        string? passphrase = null;
        if (recipients.Count == 0)
            passphrase = await options.PassphraseSource!.GetPassphraseAsync(new PassphraseRequest(PassphrasePurpose.Symmetric, null), cancellationToken).ConfigureAwait(false);
        SecretKeyEntry? signSecret = null;
        PgpPrivateKey? signKey = null;
        if (options.SignKey != null)
        {
            signSecret = Keyring(options).SelectSigningKey(options.SignKey);
            var source = options.SignPassphraseSource ?? options.PassphraseSource;
            signKey = await SecretKeys.UnlockAsync(signSecret, source, PassphrasePurpose.SigningKey, cancellationToken).ConfigureAwait(false);
        }
        return new OpenPgpEncryptor(passphrase, recipients, signSecret, signKey, options.Compress);
    }

    private static OpenPgpKeyring Keyring(EncryptionOptions options) => options.Keyring
        ?? throw new DuplicityException(DuplicityErrorCode.GpgFailed,
            "GPG error: public keys are named but no keyring was given (only the GnuPG binary engine finds keys by itself)");

    /// <summary>
    /// Starts a message on <paramref name="output"/>; write the plaintext to the returned stream and
    /// dispose it to finish the message. <paramref name="output"/> is left open.
    /// </summary>
    public Stream OpenWrite(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        byte[] sessionKey;
        if (_passphrase != null)
        {
            sessionKey = SessionKeyPackets.WriteSymmetric(output, _passphrase);
        }
        else
        {
            sessionKey = RandomNumberGenerator.GetBytes(32);
            foreach (var (key, hidden) in _recipients) SessionKeyPackets.WritePublicKey(output, key, sessionKey, hidden);
        }
        var layers = new Stack<Stream>();
        var buffers = new List<Func<long>>();
        var seipd = new PartialBodyWriteStream(output, 18);
        buffers.Add(() => seipd.BufferedBytes);
        seipd.WriteByte(1);
        layers.Push(seipd);
        var cfb = new CfbMdcEncryptStream(seipd, sessionKey);
        buffers.Add(() => cfb.BufferedBytes);
        Stream top = cfb;
        CryptographicOperations.ZeroMemory(sessionKey);
        layers.Push(top);
        ParallelDeflateStream? deflate = null;
        if (_compress)
        {
            var compressed = new PartialBodyWriteStream(top, 8);
            buffers.Add(() => compressed.BufferedBytes);
            compressed.WriteByte((byte)CompressionAlgorithmTag.Zip);
            layers.Push(compressed);
            top = deflate = new ParallelDeflateStream(compressed, level: 6);
            layers.Push(top);
        }
        PgpSignatureGenerator? signer = null;
        // Where the literal packet begins in the compressed data: after the one-pass signature, if any.
        long literalStart = 0;
        if (_signKey != null)
        {
            signer = new PgpSignatureGenerator(_signPublicKey!.Algorithm, HashAlgorithmTag.Sha256);
            signer.InitSign(PgpSignature.BinaryDocument, _signKey);
            var hashed = new PgpSignatureSubpacketGenerator();
            hashed.SetSignatureCreationTime(false, DateTime.UtcNow);
            hashed.SetIssuerFingerprint(false, _signPublicKey);
            signer.SetHashedSubpackets(hashed.Generate());
            var onePass = new MemoryStream();
            signer.GenerateOnePassVersion(false).Encode(onePass);
            literalStart = onePass.Length;
            top.Write(onePass.GetBuffer(), 0, (int)onePass.Length);
        }
        var signatureTarget = top;
        var literal = new PartialBodyWriteStream(top, 11);
        Span<byte> header = stackalloc byte[LiteralHeaderLength];
        header[0] = (byte)'b';
        header[1] = 0;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header[2..], (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        literal.Write(header);
        buffers.Add(() => literal.BufferedBytes);
        return new MessageWriteStream(literal, signer, signatureTarget, layers, deflate, buffers, literalStart);
    }

    /// <summary>The literal data's own header: format 'b', an empty file name, a 4-byte date.</summary>
    private const int LiteralHeaderLength = 6;

    /// <summary>The plaintext end of a message: feeds the signature, and on dispose closes every layer in order.</summary>
    private sealed class MessageWriteStream(Stream literal, PgpSignatureGenerator? signer, Stream signatureTarget, Stack<Stream> layers,
        ParallelDeflateStream? deflate, List<Func<long>> buffers, long literalStart) : Stream, IPendingInput, IOpenPgpMessageLayoutSource
    {
        private bool _finished;
        private long _dataWritten;

        public OpenPgpMessageLayout? Layout { get; private set; }

        /// <summary>Notes, once every layer is closed, where a reader may enter the compressed data.</summary>
        private void NoteLayout()
        {
            if (deflate != null)
                Layout = new OpenPgpMessageLayout(literalStart, LiteralHeaderLength + _dataWritten, LiteralHeaderLength, deflate.BlockStarts);
        }

        // The packet layers' buffers count at their size: all but the literal one hold bytes already encoded.
        public long PendingInputBytes
        {
            get
            {
                long total = deflate?.PendingInputBytes ?? 0;
                foreach (var buffered in buffers) total += buffered();
                return total;
            }
        }

        public ValueTask SyncAsync(CancellationToken cancellationToken) =>
            deflate?.SyncAsync(cancellationToken) ?? ValueTask.CompletedTask;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            signer?.Update(buffer.Span);
            await literal.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            _dataWritten += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask DisposeAsync()
        {
            if (!_finished)
            {
                _finished = true;
                literal.Dispose();
                signer?.Generate().Encode(signatureTarget);
                while (layers.Count > 0) await layers.Pop().DisposeAsync().ConfigureAwait(false);
                NoteLayout();
            }
            await base.DisposeAsync().ConfigureAwait(false);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            literal.Write(buffer);
            signer?.Update(buffer);
            _dataWritten += buffer.Length;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void WriteByte(byte value) => Write([value]);

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_finished)
            {
                _finished = true;
                literal.Dispose();
                signer?.Generate().Encode(signatureTarget);
                while (layers.Count > 0) layers.Pop().Dispose();
                NoteLayout();
            }
            base.Dispose(disposing);
        }

        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => !_finished;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
