using Duplicity.Crypto;

namespace Duplicity.Tests.Crypto;

/// <summary>
/// A passphrase packet whose Argon2 S2K asks for more memory than any real archive uses is refused
/// before BouncyCastle allocates it (2^m KiB, m up to 31).
/// </summary>
[Category("Fault")]
public class Argon2CostTests
{
    /// <summary>The message with its first packet (the SKESK) replaced by a v4 SKESK using Argon2 with memory exponent m.</summary>
    private static byte[] WithArgon2Skesk(byte[] message, byte memoryExponent)
    {
        int bodyStart, bodyLength;
        if ((message[0] & 0x40) != 0) { bodyLength = message[1]; bodyStart = 2; }          // new format, one-byte length
        else { bodyLength = message[1]; bodyStart = 2; }                                      // old format, length type 0
        Assert.That((message[0] & 0x40) != 0 ? message[0] & 0x3F : (message[0] >> 2) & 0x0F, Is.EqualTo(3), "the message starts with its SKESK");
        byte cipher = message[bodyStart + 1];
        var salt = new byte[16];
        byte[] body = [4, cipher, 4, .. salt, 1, 1, memoryExponent];   // version 4, cipher, S2K type 4 (Argon2): salt, t, p, m
        return [0xC3, (byte)body.Length, .. body, .. message.AsSpan(bodyStart + bodyLength)];
    }

    [Test]
    public async Task AnArgon2PassphrasePacketAskingForSixteenGigabytesIsRefusedWithoutAllocatingThem()
    {
        var message = await OpenPgpRoundTripTests.EncryptAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource("pw")), new byte[1000]);
        var hostile = WithArgon2Skesk(message, 24);   // 16 GiB, within what BouncyCastle itself accepts
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.ThrowsAsync<ArchiveCorruptException>(() =>
            OpenPgpRoundTripTests.DecryptAsync(new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("pw") }, hostile));
        Assert.That(error!.Code, Is.EqualTo(DuplicityErrorCode.GpgFailed));
        Assert.That(error.Message, Does.Contain("Argon2"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(64L << 20), "refused before the key derivation allocates");
    }

    [Test]
    public async Task AModestArgon2CostIsStillTried()
    {
        // m = 10 (1 MiB) is accepted: the derivation runs, and the zero salt gives a wrong key, so the
        // passphrase is reported wrong, not the packet refused.
        var message = await OpenPgpRoundTripTests.EncryptAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource("pw")), new byte[1000]);
        var modest = WithArgon2Skesk(message, 10);
        var error = Assert.ThrowsAsync(Is.InstanceOf<DuplicityException>(), () =>
            OpenPgpRoundTripTests.DecryptAsync(new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("pw") }, modest));
        Assert.That(error!.Message, Does.Not.Contain("Argon2 for 2^"));
    }
}
