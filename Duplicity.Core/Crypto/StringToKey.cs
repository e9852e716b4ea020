using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Bcpg;

namespace Duplicity.Crypto;

/// <summary>
/// OpenPGP string-to-key (simple, salted, iterated and salted) on .NET's hashes. gpg's usual count
/// (65,011,712 bytes, two SHA-1 contexts for an AES-256 key) is hashed per encrypted file: on
/// BouncyCastle's managed SHA-1 that was about half a second a volume, on .NET's (SHA-NI) ~40 ms.
/// </summary>
internal static class StringToKey
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The key S2K <paramref name="s2k"/> derives from <paramref name="passphrase"/> for <paramref name="algorithm"/>,
    /// or null when this kind (Argon2, GNU extensions, an unusual hash or cipher) is left to BouncyCastle.
    /// </summary>
    public static byte[]? TryDerive(SymmetricKeyAlgorithmTag algorithm, S2k s2k, char[] passphrase)
    {
        int keyLength = algorithm switch
        {
            SymmetricKeyAlgorithmTag.Aes128 => 16,
            SymmetricKeyAlgorithmTag.Aes192 => 24,
            SymmetricKeyAlgorithmTag.Aes256 => 32,
            _ => 0,
        };
        HashAlgorithmName? hash = s2k.HashAlgorithm switch
        {
            HashAlgorithmTag.Sha1 => HashAlgorithmName.SHA1,
            HashAlgorithmTag.Sha256 => HashAlgorithmName.SHA256,
            HashAlgorithmTag.Sha384 => HashAlgorithmName.SHA384,
            HashAlgorithmTag.Sha512 => HashAlgorithmName.SHA512,
            _ => null,
        };
        if (keyLength == 0 || hash == null) return null;
        byte[] salt;
        long count;
        switch (s2k.Type)
        {
            case S2k.Simple: salt = []; count = 0; break;
            case S2k.Salted: salt = s2k.GetIV(); count = 0; break;
            case S2k.SaltedAndIterated: salt = s2k.GetIV(); count = s2k.IterationCount; break;
            default: return null;
        }
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(passphrase);
        }
        catch (EncoderFallbackException)
        {
            return null; // a lone surrogate: BouncyCastle's own encoding decides
        }
        try
        {
            return Derive(hash.Value, bytes, salt, count, keyLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Hashes (salt || passphrase) repeated up to <paramref name="count"/> bytes (at least once) per
    /// context; context i is preloaded with i zero bytes; digests are concatenated up to the key length.
    /// </summary>
    public static byte[] Derive(HashAlgorithmName hash, byte[] passphrase, ReadOnlySpan<byte> salt, long count, int keyLength)
    {
        var unit = new byte[salt.Length + passphrase.Length];
        salt.CopyTo(unit);
        passphrase.CopyTo(unit, salt.Length);
        count = Math.Max(count, unit.Length);
        // A long run of repeated units keeps the per-call overhead of the hash small.
        var repeats = Math.Max(1, 65536 / Math.Max(1, unit.Length));
        var run = new byte[unit.Length * repeats];
        for (var i = 0; i < repeats; i++) unit.CopyTo(run, i * unit.Length);
        int digestLength = hash == HashAlgorithmName.SHA1 ? 20 : hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64;
        int contexts = (keyLength + digestLength - 1) / digestLength;
        var digests = new byte[contexts][];
        // Contexts are independent: with a large count (gpg's usual one) they run on separate cores.
        if (contexts > 1 && count >= 1 << 20)
            Parallel.For(0, contexts, c => digests[c] = HashContext(hash, c, run, count));
        else
            for (int c = 0; c < contexts; c++) digests[c] = HashContext(hash, c, run, count);
        var key = new byte[keyLength];
        for (int c = 0, produced = 0; c < contexts; c++)
        {
            var take = Math.Min(digestLength, keyLength - produced);
            Array.Copy(digests[c], 0, key, produced, take);
            produced += take;
            CryptographicOperations.ZeroMemory(digests[c]);
        }
        CryptographicOperations.ZeroMemory(unit);
        CryptographicOperations.ZeroMemory(run);
        return key;
    }

    private static byte[] HashContext(HashAlgorithmName hash, int zeros, byte[] run, long count)
    {
        using var h = IncrementalHash.CreateHash(hash);
        if (zeros > 0) h.AppendData(new byte[zeros]);
        for (long left = count; left > 0;)
        {
            var n = (int)Math.Min(left, run.Length);
            h.AppendData(run, 0, n);
            left -= n;
        }
        return h.GetHashAndReset();
    }
}
