using Duplicity.Crypto;

namespace Duplicity.Tests.Crypto;

/// <summary>
/// The fast SEIPD path proves itself once against BouncyCastle and otherwise steps aside; whichever
/// path decrypts, damage is corruption and only a wrong passphrase is a wrong passphrase.
/// </summary>
[Category("Unit")]
public class FastPathSelfCheckTests
{
    [Test]
    public void TheSelfCheckPassesOnThisBouncyCastle()
    {
        Assert.That(FastPathSelfCheck.Run(SessionKeyRecovery.FromPassphrase), Is.True);
        Assert.That(SessionKeyRecovery.IsAvailable, Is.True);
    }

    [Test]
    public void ABrokenKeyRecoveryFailsTheSelfCheckWithoutThrowing()
    {
        Assert.That(FastPathSelfCheck.Run((data, pw) =>
        {
            var key = SessionKeyRecovery.FromPassphrase(data, pw);
            key.Key[0] ^= 1; // as if a BouncyCastle change made us read the wrong bytes
            return key;
        }), Is.False);
        Assert.That(FastPathSelfCheck.Run((_, _) => throw new InvalidCastException("member changed")), Is.False);
    }

    private static DecryptionOptions Options(string passphrase, bool fastPath) =>
        new() { PassphraseSource = new FixedPassphraseSource(passphrase), DisableFastPath = !fastPath };

    [TestCase(true)]
    [TestCase(false)]
    public async Task EitherPathDecryptsAndTellsWhichOneRan(bool fastPath)
    {
        var plain = OpenPgpRoundTripTests.Payload(300_000);
        var message = await OpenPgpRoundTripTests.EncryptAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource("pw")), plain);
        var (back, stream) = await OpenPgpRoundTripTests.DecryptAsync(Options("pw", fastPath), message);
        Assert.That(back, Is.EqualTo(plain));
        Assert.That(stream.DecryptedInHouse, Is.EqualTo(fastPath));
        Assert.That(stream.IsIntegrityProtected, Is.True);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task DamageIsCorruptionAndNeverAWrongPassphrase(bool fastPath)
    {
        var message = await OpenPgpRoundTripTests.EncryptAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource("pw")).WithCompression(false), OpenPgpRoundTripTests.Payload(100_000));
        foreach (int fromEnd in new[] { 1, 30, 5_000, 60_000 })
        {
            var damaged = (byte[])message.Clone();
            damaged[^fromEnd] ^= 0x04;
            var e = Assert.ThrowsAsync(Is.InstanceOf<DuplicityException>(), async () => await OpenPgpRoundTripTests.DecryptAsync(Options("pw", fastPath), damaged));
            Assert.That(e, Is.InstanceOf<ArchiveCorruptException>().And.Not.InstanceOf<WrongPassphraseException>(), $"byte {fromEnd} from the end");
        }
        Assert.ThrowsAsync<WrongPassphraseException>(async () => await OpenPgpRoundTripTests.DecryptAsync(Options("not-pw", fastPath), message));
    }
}
