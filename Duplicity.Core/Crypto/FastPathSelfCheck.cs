using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;

namespace Duplicity.Crypto;

/// <summary>
/// Proves once that the fast decryption path agrees with BouncyCastle: a small message encrypted by
/// BouncyCastle's public API is opened with the recovered session key and <see cref="SeipdDecryptStream"/>.
/// Any difference or exception means the fast path is not used (BouncyCastle then decrypts everything),
/// so a change inside BouncyCastle can never be mistaken for a wrong key or passphrase.
/// </summary>
internal static class FastPathSelfCheck
{
    private static readonly byte[] Known = Encoding.ASCII.GetBytes("duplicity fast-path self-check: 0123456789abcdef");

    /// <summary>True when <paramref name="recover"/> plus <see cref="SeipdDecryptStream"/> decrypt the known message exactly.</summary>
    public static bool Run(Func<PgpPbeEncryptedData, char[], SessionKey> recover)
    {
        try
        {
            char[] passphrase = "self-check".ToCharArray();
            var message = Encrypt(passphrase);
            var factory = new PgpObjectFactory(new MemoryStream(message));
            if (factory.NextPgpObject() is not PgpEncryptedDataList list || list[0] is not PgpPbeEncryptedData pbe) return false;
            var key = recover(pbe, passphrase);
            if (!key.IsAes) return false;
            var ciphertext = pbe.GetInputStream();
            var head = new byte[SeipdDecryptStream.PrefixLength];
            ciphertext.ReadExactly(head);
            if (!SeipdDecryptStream.QuickCheck(key.Key, head)) return false;
            using var clear = new SeipdDecryptStream(ciphertext, key.Key, head);
            if (new PgpObjectFactory(clear).NextPgpObject() is not PgpLiteralData literal) return false;
            using var plain = new MemoryStream();
            literal.GetInputStream().CopyTo(plain);
            clear.CopyTo(Stream.Null); // the MDC is checked at the end
            return plain.ToArray().AsSpan().SequenceEqual(Known);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>The known message as BouncyCastle writes it: AES-256, iterated and salted S2K, SEIPD with MDC.</summary>
    private static byte[] Encrypt(char[] passphrase)
    {
        var generator = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, withIntegrityPacket: true, new SecureRandom());
        generator.AddMethodUtf8(passphrase, HashAlgorithmTag.Sha256);
        using var output = new MemoryStream();
        using (var encrypted = generator.Open(output, new byte[1 << 10]))
        {
            var literal = new PgpLiteralDataGenerator();
            using var data = literal.Open(encrypted, PgpLiteralData.Binary, "", Known.Length, DateTime.UnixEpoch);
            data.Write(Known);
        }
        return output.ToArray();
    }
}
