using System.IO.Compression;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Duplicity.Crypto;

/// <summary>
/// Reads OpenPGP messages as gpg would for duplicity: passphrase or public-key encrypted (hidden
/// recipients too), SEIPD (legacy data without MDC only when the options allow it), any compression BouncyCastle knows (ZIP, ZLIB,
/// BZip2), signed or not. AES in SEIPD (all that gpg writes today) is decrypted by our own
/// <see cref="SeipdDecryptStream"/> and ZIP/ZLIB inflated by .NET; the rest goes through BouncyCastle. Streaming: the returned stream reads the literal data; at its end the MDC
/// and signature are checked. Unlocked secret keys are cached for the instance's lifetime.
/// </summary>
internal sealed class OpenPgpDecryptor(DecryptionOptions options)
{
    private readonly Dictionary<long, PgpPrivateKey> _unlocked = [];

    /// <summary>Decrypts <paramref name="input"/> (which the returned stream owns).</summary>
    public static ValueTask<DecryptedMessageStream> OpenReadAsync(Stream input, DecryptionOptions options, CancellationToken cancellationToken = default) =>
        new OpenPgpDecryptor(options).OpenReadAsync(input, cancellationToken);

    /// <summary>Decrypts <paramref name="input"/> (which the returned stream owns).</summary>
    public async ValueTask<DecryptedMessageStream> OpenReadAsync(Stream input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            // BouncyCastle peeks at the first bytes for armor and rewinds, which network downloads cannot do.
            var factory = new PgpObjectFactory(PgpUtilities.GetDecoderStream(input.CanSeek ? input : new IO.RewindableHeadStream(input)));
            var list = NextNonMarker(factory) as PgpEncryptedDataList
                ?? throw Corrupt("not an OpenPGP encrypted message");
            var opened = await OpenEncryptedAsync(list, checkMdc: true, cancellationToken).ConfigureAwait(false);
            return OpenPlaintext(new PgpObjectFactory(opened.Clear), opened, input);
        }
        // BouncyCastle reports an unknown cipher (SecurityUtilityException), bad key material (CryptoException)
        // and out-of-range packet fields such as Argon2 parameters (ArgumentException) outside its PgpException family.
        catch (Exception e) when (e is PgpException or IOException or InvalidDataException or UnsupportedPacketVersionException
            or Org.BouncyCastle.Security.SecurityUtilityException or Org.BouncyCastle.Crypto.CryptoException or ArgumentException)
        {
            throw Corrupt("cannot decrypt: " + e.Message, e);
        }
    }

    /// <summary>
    /// Opens the literal data of a ZIP-compressed message at a seek point (see <c>VolumeSeekIndex</c>):
    /// decrypts up to <paramref name="deflateOffset"/> in the compressed packet's data, a deflate block start,
    /// inflates from there and reads the literal body with <paramref name="chunkRemaining"/> bytes left in
    /// its current chunk. Null when the message is not ZIP-compressed or ends first. Neither the MDC nor a
    /// signature is checked (the caller has vouched for the stored bytes); <paramref name="input"/> is left open.
    /// </summary>
    public async ValueTask<Stream?> OpenAtAsync(Stream input, long deflateOffset, int chunkRemaining, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        OpenedData? opened = null;
        try
        {
            var factory = new PgpObjectFactory(PgpUtilities.GetDecoderStream(input));
            if (NextNonMarker(factory) is not PgpEncryptedDataList list) return null;
            opened = await OpenEncryptedAsync(list, checkMdc: false, cancellationToken).ConfigureAwait(false);
            if (new PgpObjectFactory(opened.Clear).NextPgpObject() is not PgpCompressedData { Algorithm: CompressionAlgorithmTag.Zip } compressed)
                return null;
            var data = compressed.GetInputStream();
            var sink = new byte[65536];
            for (long left = deflateOffset; left > 0;)
            {
                int n = await data.ReadAsync(sink.AsMemory(0, (int)Math.Min(sink.Length, left)), cancellationToken).ConfigureAwait(false);
                if (n <= 0) return null;
                left -= n;
            }
            var literal = new PartialBodyReadStream(new DeflateStream(data, CompressionMode.Decompress, leaveOpen: true), chunkRemaining, opened.Owned);
            opened = null;
            return literal;
        }
        catch (Exception e) when (e is PgpException or IOException or InvalidDataException or UnsupportedPacketVersionException
            or Org.BouncyCastle.Security.SecurityUtilityException or Org.BouncyCastle.Crypto.CryptoException or ArgumentException)
        {
            throw Corrupt("cannot decrypt: " + e.Message, e);
        }
        finally
        {
            if (opened?.Owned is { } owned) await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Argon2 S2K memory is 2^m KiB with m up to 31, allocated by BouncyCastle before any check: a
    /// hostile passphrase packet could ask for a terabyte. GnuPG 2.2 (duplicity's) never writes
    /// Argon2; above 2 GiB (m = 21, RFC 9580's largest recommendation) the packet is refused.
    /// </summary>
    internal const int MaxArgon2MemoryExponent = 21;

    private static void RefuseCostlyKeyDerivation(PgpPbeEncryptedData pbe)
    {
        if (SessionKeyRecovery.S2kOf(pbe) is { Type: S2k.Argon2, Argon2Config: { } argon2 } && argon2.MemorySizeExponent > MaxArgon2MemoryExponent)
            throw Corrupt($"the passphrase packet asks Argon2 for 2^{argon2.MemorySizeExponent} KiB of memory (at most 2^{MaxArgon2MemoryExponent} is accepted)");
    }

    private static PgpObject? NextNonMarker(PgpObjectFactory factory)
    {
        var obj = factory.NextPgpObject();
        while (obj is PgpMarker) obj = factory.NextPgpObject();
        return obj;
    }

    /// <summary>The decrypted packet stream, how to finish its integrity check, and a stream of ours to dispose.</summary>
    private sealed record OpenedData(Stream Clear, Func<bool> FinishIntegrity, Stream? Owned);

    /// <summary>
    /// Tries each session-key packet. SEIPD data under AES is decrypted by <see cref="SeipdDecryptStream"/>
    /// (BouncyCastle only recovers the key); anything else (other ciphers, data without MDC) by BouncyCastle.
    /// </summary>
    private async ValueTask<OpenedData> OpenEncryptedAsync(PgpEncryptedDataList list, bool checkMdc, CancellationToken cancellationToken)
    {
        // Refused before any key is tried, so a stripped MDC never reads as a key or passphrase problem.
        if (list.Count > 0 && list[0] is PgpEncryptedData { } first && !first.IsIntegrityProtected() && !options.AllowLegacyUnprotectedData)
            throw new UnprotectedDataException();
        WrongPassphraseException? wrong = null;
        var missing = new List<string>();
        var fast = new FastPath(list, !options.DisableFastPath, checkMdc);
        foreach (PgpEncryptedData item in list.GetEncryptedDataObjects())
        {
            switch (item)
            {
                case PgpPbeEncryptedData pbe when options.PassphraseSource != null:
                    RefuseCostlyKeyDerivation(pbe);
                    var passphrase = await options.PassphraseSource.GetPassphraseAsync(new PassphraseRequest(PassphrasePurpose.Symmetric, null), cancellationToken).ConfigureAwait(false);
                    var chars = passphrase.ToCharArray();
                    try
                    {
                        if (fast.IsPossible)
                        {
                            var key = SessionKeyRecovery.FromPassphrase(pbe, chars);
                            if (fast.TryOpen(key, out var opened)) return opened;
                            if (fast.HeadRead) { wrong = new WrongPassphraseException("the symmetrically encrypted message", null); break; }
                        }
                        return Slow(pbe, pbe.GetDataStreamUtf8(chars));
                    }
                    catch (PgpDataValidationException e)
                    {
                        wrong = new WrongPassphraseException("the symmetrically encrypted message", e);
                    }
                    finally
                    {
                        Array.Clear(chars);
                    }
                    break;
                case PgpPbeEncryptedData:
                    missing.Add("a passphrase");
                    break;
                case PgpPublicKeyEncryptedData pk:
                    var candidates = options.Keyring?.DecryptionCandidates(pk.KeyId).ToList() ?? [];
                    if (candidates.Count == 0) missing.Add(pk.KeyId == 0 ? "a secret key (hidden recipient)" : $"secret key {pk.KeyId:X16}");
                    foreach (var secret in candidates)
                    {
                        var key = await UnlockAsync(secret, cancellationToken).ConfigureAwait(false);
                        try
                        {
                            if (fast.IsPossible)
                            {
                                var sessionKey = SessionKeyRecovery.FromPrivateKey(pk, key);
                                if (sessionKey == null)
                                {
                                    if (pk.KeyId == 0) continue; // a hidden recipient: this key was not the one
                                    // Nothing read yet: BouncyCastle's own path decides (and names the real error).
                                    return Slow(pk, pk.GetDataStream(key));
                                }
                                if (fast.TryOpen(sessionKey, out var opened)) return opened;
                                if (fast.HeadRead)
                                {
                                    if (pk.KeyId == 0) continue;
                                    throw Corrupt("the session key does not decrypt the message (quick check failed)");
                                }
                            }
                            return Slow(pk, pk.GetDataStream(key));
                        }
                        catch (Exception e) when (pk.KeyId == 0 && e is PgpException or Org.BouncyCastle.Crypto.CryptoException or InvalidCastException or ArgumentException)
                        {
                            // a hidden recipient: this key was not the one; try the next
                        }
                    }
                    break;
            }
        }
        if (wrong != null) throw wrong;
        throw new DuplicityException(DuplicityErrorCode.GpgFailed,
            "GPG error: decryption failed: no usable key (needs " + string.Join(" or ", missing.Distinct()) + ")");
    }

    /// <summary>BouncyCastle decrypts; its MDC check needs the rest of the data read first.</summary>
    private static OpenedData Slow(PgpEncryptedData data, Stream clear) => new(clear, () =>
    {
        var sink = new byte[4096];
        var rest = data.GetInputStream();
        while (rest.Read(sink, 0, sink.Length) > 0) { }
        if (!data.IsIntegrityProtected()) return false;
        if (!data.Verify()) throw Corrupt("the message was modified (MDC mismatch)");
        return true;
    }, null);

    /// <summary>
    /// The shared state of the fast path: the ciphertext's first bytes are read once (for the quick check)
    /// and from then on only session keys that pass it can open the data.
    /// </summary>
    private sealed class FastPath(PgpEncryptedDataList list, bool allowed, bool checkMdc)
    {
        private byte[]? _head;

        /// <summary>SEIPD data, and this BouncyCastle passed the start-up self-check (else BouncyCastle decrypts).</summary>
        public bool IsPossible { get; } = allowed && list.Count > 0 && list[0] is PgpEncryptedData first && first.IsIntegrityProtected() && SessionKeyRecovery.IsAvailable;

        /// <summary>True once the first ciphertext bytes were consumed: BouncyCastle cannot take over any more.</summary>
        public bool HeadRead => _head != null;

        public bool TryOpen(SessionKey key, out OpenedData opened)
        {
            opened = null!;
            try
            {
                if (!key.IsAes) return false;
                var data = (PgpEncryptedData)list[0];
                var ciphertext = data.GetInputStream();
                if (_head == null)
                {
                    var head = new byte[SeipdDecryptStream.PrefixLength];
                    var filled = 0;
                    while (filled < head.Length)
                    {
                        var n = ciphertext.Read(head, filled, head.Length - filled);
                        if (n <= 0) throw Corrupt("the encrypted data is truncated");
                        filled += n;
                    }
                    _head = head;
                }
                if (!SeipdDecryptStream.QuickCheck(key.Key, _head)) return false;
                var clear = new SeipdDecryptStream(ciphertext, key.Key, _head, checkMdc);
                opened = new OpenedData(clear, () =>
                {
                    var sink = new byte[16384];
                    while (clear.Read(sink, 0, sink.Length) > 0) { }
                    return true;
                }, clear);
                return true;
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(key.Key);
            }
        }
    }

    private async ValueTask<PgpPrivateKey> UnlockAsync(SecretKeyEntry secret, CancellationToken cancellationToken)
    {
        if (_unlocked.TryGetValue(secret.PublicKey.KeyId, out var key)) return key;
        key = await SecretKeys.UnlockAsync(secret, options.PassphraseSource, PassphrasePurpose.DecryptionKey, cancellationToken).ConfigureAwait(false);
        _unlocked[secret.PublicKey.KeyId] = key;
        return key;
    }

    private DecryptedMessageStream OpenPlaintext(PgpObjectFactory factory, OpenedData data, Stream input)
    {
        var obj = factory.NextPgpObject();
        if (obj is PgpCompressedData compressed)
        {
            factory = new PgpObjectFactory(Decompress(compressed));
            obj = factory.NextPgpObject();
        }
        PgpOnePassSignature? onePass = null;
        if (obj is PgpOnePassSignatureList ops)
        {
            onePass = ops[0];
            obj = factory.NextPgpObject();
        }
        if (obj is PgpSignatureList) obj = factory.NextPgpObject(); // an old-style signature before the data: not checked
        if (obj is not PgpLiteralData literal) throw Corrupt("no literal data in the message");
        PgpPublicKey? signer = null;
        if (onePass != null)
        {
            signer = options.Keyring?.FindPublicKey(onePass.KeyId);
            if (signer != null) onePass.InitVerify(signer);
        }
        return new DecryptedMessageStream(literal.GetInputStream(), factory, data.FinishIntegrity, onePass, signer, options.ExpectedSignKey, input, data.Owned);
    }

    /// <summary>ZIP (raw deflate) and ZLIB inflate with .NET's zlib, much faster than BouncyCastle's; BZip2 stays with BouncyCastle.</summary>
    private static Stream Decompress(PgpCompressedData compressed) => compressed.Algorithm switch
    {
        CompressionAlgorithmTag.Zip => new DeflateStream(compressed.GetInputStream(), CompressionMode.Decompress, leaveOpen: true),
        CompressionAlgorithmTag.ZLib => new ZLibStream(compressed.GetInputStream(), CompressionMode.Decompress, leaveOpen: true),
        _ => DecompressorGuardStream.Open(compressed.GetDataStream),
    };

    internal static ArchiveCorruptException Corrupt(string message, Exception? inner = null) =>
        new("GPG error: " + message, inner, DuplicityErrorCode.GpgFailed);
}
