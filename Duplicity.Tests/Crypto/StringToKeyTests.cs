using Duplicity.Crypto;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Duplicity.Tests.Crypto;

/// <summary>Our string-to-key (on .NET's hashes) derives exactly BouncyCastle's key for every kind it takes on.</summary>
[Category("Unit")]
public class StringToKeyTests
{
    private static readonly byte[] Salt = [1, 2, 3, 4, 250, 251, 252, 253];

    [TestCase(S2k.Simple, HashAlgorithmTag.Sha1, SymmetricKeyAlgorithmTag.Aes256, 0)]
    [TestCase(S2k.Salted, HashAlgorithmTag.Sha256, SymmetricKeyAlgorithmTag.Aes128, 0)]
    [TestCase(S2k.SaltedAndIterated, HashAlgorithmTag.Sha1, SymmetricKeyAlgorithmTag.Aes256, 0x60)]
    [TestCase(S2k.SaltedAndIterated, HashAlgorithmTag.Sha1, SymmetricKeyAlgorithmTag.Aes192, 0xFF)]
    [TestCase(S2k.SaltedAndIterated, HashAlgorithmTag.Sha256, SymmetricKeyAlgorithmTag.Aes256, 0x00)]
    [TestCase(S2k.SaltedAndIterated, HashAlgorithmTag.Sha512, SymmetricKeyAlgorithmTag.Aes256, 0x90)]
    [TestCase(S2k.SaltedAndIterated, HashAlgorithmTag.Sha384, SymmetricKeyAlgorithmTag.Aes128, 0x10)]
    public void DerivesBouncyCastlesKey(int type, HashAlgorithmTag hash, SymmetricKeyAlgorithmTag cipher, int codedCount)
    {
        var s2k = type switch
        {
            S2k.Simple => new S2k(hash),
            S2k.Salted => new S2k(hash, Salt),
            _ => new S2k(hash, Salt, codedCount),
        };
        foreach (var passphrase in new[] { "pw", "", "pässwörd ✓ with a longer tail to pass a hash block", new string('x', 200) })
        {
            var ours = StringToKey.TryDerive(cipher, s2k, passphrase.ToCharArray());
            var theirs = PgpUtilities.MakeKeyFromPassPhraseUtf8(cipher, s2k, passphrase.ToCharArray()).GetKey();
            Assert.That(ours, Is.EqualTo(theirs), $"passphrase of {passphrase.Length} chars");
        }
    }

    [Test]
    public void LeavesOtherKindsToBouncyCastle()
    {
        Assert.That(StringToKey.TryDerive(SymmetricKeyAlgorithmTag.Cast5, new S2k(HashAlgorithmTag.Sha1, Salt, 0x60), "pw".ToCharArray()), Is.Null);
        Assert.That(StringToKey.TryDerive(SymmetricKeyAlgorithmTag.Aes256, new S2k(HashAlgorithmTag.MD5, Salt, 0x60), "pw".ToCharArray()), Is.Null);
        Assert.That(StringToKey.TryDerive(SymmetricKeyAlgorithmTag.Aes256, new S2k(HashAlgorithmTag.Sha1, Salt, 0x60), ['p', '\uD800']), Is.Null);
    }
}
