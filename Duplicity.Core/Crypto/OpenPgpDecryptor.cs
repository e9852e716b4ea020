using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Duplicity.Crypto;

/// <summary>
/// Reads OpenPGP messages as gpg would for duplicity: passphrase or public-key encrypted (hidden
/// recipients too), SEIPD or legacy data without MDC, any compression BouncyCastle knows (ZIP, ZLIB,
/// BZip2), signed or not. Streaming: the returned stream reads the literal data; at its end the MDC
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
            var factory = new PgpObjectFactory(PgpUtilities.GetDecoderStream(input));
            var list = NextNonMarker(factory) as PgpEncryptedDataList
                ?? throw Corrupt("not an OpenPGP encrypted message");
            var (data, clear) = await OpenEncryptedAsync(list, cancellationToken).ConfigureAwait(false);
            return OpenPlaintext(new PgpObjectFactory(clear), data, input);
        }
        catch (Exception e) when (e is PgpException or IOException)
        {
            throw Corrupt("cannot decrypt: " + e.Message, e);
        }
    }

    private static PgpObject? NextNonMarker(PgpObjectFactory factory)
    {
        var obj = factory.NextPgpObject();
        while (obj is PgpMarker) obj = factory.NextPgpObject();
        return obj;
    }

    private async ValueTask<(PgpEncryptedData, Stream)> OpenEncryptedAsync(PgpEncryptedDataList list, CancellationToken cancellationToken)
    {
        WrongPassphraseException? wrong = null;
        var missing = new List<string>();
        foreach (PgpEncryptedData item in list.GetEncryptedDataObjects())
        {
            switch (item)
            {
                case PgpPbeEncryptedData pbe when options.PassphraseSource != null:
                    var passphrase = await options.PassphraseSource.GetPassphraseAsync(new PassphraseRequest(PassphrasePurpose.Symmetric, null), cancellationToken).ConfigureAwait(false);
                    var chars = passphrase.ToCharArray();
                    try
                    {
                        return (pbe, pbe.GetDataStreamUtf8(chars));
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
                            return (pk, pk.GetDataStream(key));
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

    private async ValueTask<PgpPrivateKey> UnlockAsync(SecretKeyEntry secret, CancellationToken cancellationToken)
    {
        if (_unlocked.TryGetValue(secret.PublicKey.KeyId, out var key)) return key;
        key = await SecretKeys.UnlockAsync(secret, options.PassphraseSource, PassphrasePurpose.DecryptionKey, cancellationToken).ConfigureAwait(false);
        _unlocked[secret.PublicKey.KeyId] = key;
        return key;
    }

    private DecryptedMessageStream OpenPlaintext(PgpObjectFactory factory, PgpEncryptedData data, Stream input)
    {
        var obj = factory.NextPgpObject();
        if (obj is PgpCompressedData compressed)
        {
            factory = new PgpObjectFactory(compressed.GetDataStream());
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
        return new DecryptedMessageStream(literal.GetInputStream(), factory, data, onePass, signer, options.ExpectedSignKey, input);
    }

    internal static ArchiveCorruptException Corrupt(string message, Exception? inner = null) =>
        new("GPG error: " + message, inner, DuplicityErrorCode.GpgFailed);
}
