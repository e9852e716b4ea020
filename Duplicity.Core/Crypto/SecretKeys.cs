using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace Duplicity.Crypto;

/// <summary>A usable secret key, from an OpenPGP export or from gpg-agent's private-keys-v1.d.</summary>
/// <param name="PublicKey">Its public half.</param>
/// <param name="IsProtected">Whether unlocking needs a passphrase.</param>
/// <param name="Extract">Unlocks it with a passphrase (ignored when unprotected); wrong -> <see cref="WrongPassphraseException"/>.</param>
internal sealed record SecretKeyEntry(PgpPublicKey PublicKey, bool IsProtected, Func<string, PgpPrivateKey> Extract)
{
    public string KeyId => PublicKey.KeyId.ToString("X16");

    public static SecretKeyEntry FromExport(PgpSecretKey key) =>
        new(key.PublicKey, key.KeyEncryptionAlgorithm != SymmetricKeyAlgorithmTag.Null, passphrase =>
        {
            var chars = passphrase.ToCharArray();
            try
            {
                return key.ExtractPrivateKeyUtf8(chars)
                    ?? throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: secret key {key.KeyId:X16} has no key material");
            }
            catch (PgpException e)
            {
                throw new WrongPassphraseException($"secret key {key.KeyId:X16}", e);
            }
            finally
            {
                Array.Clear(chars);
            }
        });

    /// <summary>A gpg-agent key file for <paramref name="key"/> (its public values were matched by the caller).</summary>
    public static SecretKeyEntry FromAgentFile(PgpPublicKey key, GnuPGSecretKeyFile file) =>
        new(key, file.IsProtected, passphrase =>
        {
            var keyId = key.KeyId.ToString("X16");
            var secret = file.SecretParameters(passphrase, keyId);
            return new PgpPrivateKey(key.KeyId, key.PublicKeyPacket, ToBouncyCastle(key, secret, keyId));
        });

    private static AsymmetricKeyParameter ToBouncyCastle(PgpPublicKey key, SExpression secret, string keyId)
    {
        BigInteger Int(string name) => new(1, secret.Value(name)
            ?? throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: secret key {keyId} lacks '{name}'"));
        switch (key.Algorithm)
        {
            case PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaEncrypt or PublicKeyAlgorithmTag.RsaSign:
                var (n, e, d, p, q) = (Int("n"), Int("e"), Int("d"), Int("p"), Int("q"));
                return new RsaPrivateCrtKeyParameters(n, e, d, p, q,
                    d.Mod(p.Subtract(BigInteger.One)), d.Mod(q.Subtract(BigInteger.One)), q.ModInverse(p));
            case PublicKeyAlgorithmTag.EdDsa_Legacy:
                return new Ed25519PrivateKeyParameters(Int("d").ToByteArrayUnsigned().AsSpan().PadLeft32());
            case PublicKeyAlgorithmTag.ECDH:
                // gcrypt keeps the Curve25519 scalar big-endian; X25519 wants it little-endian
                var scalar = Int("d").ToByteArrayUnsigned().AsSpan().PadLeft32();
                Array.Reverse(scalar);
                return new X25519PrivateKeyParameters(scalar);
            default:
                throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: {key.Algorithm} keys from private-keys-v1.d are not supported");
        }
    }
}

internal static class SecretKeys
{
    public static async ValueTask<PgpPrivateKey> UnlockAsync(SecretKeyEntry key, IPassphraseSource? source, PassphrasePurpose purpose, CancellationToken cancellationToken)
    {
        if (!key.IsProtected) return key.Extract("");
        if (source == null)
            throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: secret key {key.KeyId} is protected and no passphrase was given");
        var passphrase = await source.GetPassphraseAsync(new PassphraseRequest(purpose, key.KeyId), cancellationToken).ConfigureAwait(false);
        return key.Extract(passphrase);
    }

    public static byte[] PadLeft32(this Span<byte> value)
    {
        if (value.Length > 32) throw new DuplicityException(DuplicityErrorCode.GpgFailed, "GPG error: key scalar too long");
        var result = new byte[32];
        value.CopyTo(result.AsSpan(32 - value.Length));
        return result;
    }
}
