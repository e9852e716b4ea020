using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Duplicity.Crypto;

/// <summary>Unlocks secret keys, asking the passphrase source only for protected ones.</summary>
internal static class SecretKeys
{
    public static async ValueTask<PgpPrivateKey> UnlockAsync(PgpSecretKey key, IPassphraseSource? source, PassphrasePurpose purpose, CancellationToken cancellationToken)
    {
        var keyId = key.KeyId.ToString("X16");
        if (key.KeyEncryptionAlgorithm == SymmetricKeyAlgorithmTag.Null)
            return Extract(key, [], keyId);
        if (source == null)
            throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: secret key {keyId} is protected and no passphrase was given");
        var passphrase = await source.GetPassphraseAsync(new PassphraseRequest(purpose, keyId), cancellationToken).ConfigureAwait(false);
        var chars = passphrase.ToCharArray();
        try
        {
            return Extract(key, chars, keyId);
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    private static PgpPrivateKey Extract(PgpSecretKey key, char[] passphrase, string keyId)
    {
        try
        {
            return key.ExtractPrivateKeyUtf8(passphrase)
                ?? throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: secret key {keyId} has no key material");
        }
        catch (PgpException e)
        {
            throw new WrongPassphraseException($"secret key {keyId}", e);
        }
    }
}
