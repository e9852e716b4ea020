using Duplicity.Archive.Volumes;
using Duplicity.Crypto;

namespace Duplicity.Tests.Crypto;

/// <summary>The in-house AES SEIPD decryption: chunk edges, the hidden prefix, the MDC check.</summary>
[Category("Unit")]
public class SeipdDecryptStreamTests
{
    private static readonly DecryptionOptions Pw = new() { PassphraseSource = new FixedPassphraseSource("pw") };

    [TestCase(false, 0)]
    [TestCase(false, 1)]
    [TestCase(false, 262_144 - 40)]
    [TestCase(false, 262_144 * 2 + 5)]
    [TestCase(true, 1_000_003)]
    [TestCase(true, 2_500_000)]
    public async Task Round_trips_across_chunk_edges_on_the_fast_path(bool compress, int length)
    {
        var plain = OpenPgpRoundTripTests.Payload(length, seed: length);
        var message = await OpenPgpRoundTripTests.EncryptAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource("pw")).WithCompression(compress), plain);
        var (back, stream) = await OpenPgpRoundTripTests.DecryptAsync(Pw, message);
        Assert.That(back, Is.EqualTo(plain));
        Assert.That(stream.DecryptedInHouse, Is.True);
        Assert.That(stream.IsIntegrityProtected, Is.True);
    }

    [TestCase(30)]
    [TestCase(5)]
    [TestCase(100_000)]
    public async Task A_flipped_ciphertext_bit_fails_the_MDC(int fromEnd)
    {
        var message = await OpenPgpRoundTripTests.EncryptAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource("pw")).WithCompression(false),
            OpenPgpRoundTripTests.Payload(300_000));
        message[^fromEnd] ^= 0x10;
        var e = Assert.ThrowsAsync<ArchiveCorruptException>(async () => await OpenPgpRoundTripTests.DecryptAsync(Pw, message))!;
        Assert.That(e.Code, Is.EqualTo(DuplicityErrorCode.GpgFailed));
    }

    [Test]
    public async Task A_truncated_message_is_corrupt()
    {
        var message = await OpenPgpRoundTripTests.EncryptAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource("pw")), OpenPgpRoundTripTests.Payload(50_000));
        Assert.ThrowsAsync<ArchiveCorruptException>(async () => await OpenPgpRoundTripTests.DecryptAsync(Pw, message[..^7]));
    }

    [Test]
    public async Task Signed_public_key_messages_take_the_fast_path_and_check_the_signature()
    {
        var ring = await GpgTestKeys.KeyringAsync("rsa-nopass", "ed-nopass");
        var plain = OpenPgpRoundTripTests.Payload(1_500_000);
        var message = await OpenPgpRoundTripTests.EncryptAsync(
            EncryptionOptions.None.WithHiddenRecipients(ring, GpgTestKeys.RsaNoPass).WithSignKey(ring, GpgTestKeys.EdNoPass), plain);
        var (back, stream) = await OpenPgpRoundTripTests.DecryptAsync(new DecryptionOptions { Keyring = ring, ExpectedSignKey = GpgTestKeys.EdNoPass }, message);
        Assert.That(back, Is.EqualTo(plain));
        Assert.That(stream.DecryptedInHouse, Is.True);
        Assert.That(stream.Signature!.IsValid, Is.True);
    }

    [Test]
    public void Quick_check_tells_a_wrong_key()
    {
        var key = new byte[32];
        var head = new byte[SeipdDecryptStream.PrefixLength];
        Assert.That(SeipdDecryptStream.QuickCheck(key, head.AsSpan(0, 10)), Is.False, "too short");
        // With an all-zero key and a head whose plaintext repeats its bytes 14,15 the check passes.
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = key;
        var prefix = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 15, 16 };
        var s0 = aes.EncryptEcb(new byte[16], System.Security.Cryptography.PaddingMode.None);
        for (var i = 0; i < 16; i++) head[i] = (byte)(prefix[i] ^ s0[i]);
        var s1 = aes.EncryptEcb(head[..16], System.Security.Cryptography.PaddingMode.None);
        head[16] = (byte)(prefix[16] ^ s1[0]);
        head[17] = (byte)(prefix[17] ^ s1[1]);
        Assert.That(SeipdDecryptStream.QuickCheck(key, head), Is.True);
        key[0] = 1;
        Assert.That(SeipdDecryptStream.QuickCheck(key, head), Is.False);
    }
}

[Category("Unit")]
public class ReadAheadStreamTests
{
    [Test]
    public async Task Passes_the_bytes_and_then_the_inner_error_through()
    {
        var data = OpenPgpRoundTripTests.Payload(1_000_000);
        using (var ahead = new ReadAheadStream(new MemoryStream(data)))
        {
            var back = new MemoryStream();
            await ahead.CopyToAsync(back);
            Assert.That(back.ToArray(), Is.EqualTo(data));
        }
        var message = await OpenPgpRoundTripTests.EncryptAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource("pw")).WithCompression(false), data);
        message[^3] ^= 1;
        var decrypted = await OpenPgpDecryptor.OpenReadAsync(new MemoryStream(message), new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("pw") });
        using var failing = new ReadAheadStream(decrypted);
        Assert.Throws<ArchiveCorruptException>(() => failing.CopyTo(Stream.Null));
    }

    [Test]
    public void Dispose_before_the_end_stops_the_reader()
    {
        var ahead = new ReadAheadStream(new MemoryStream(new byte[5_000_000]));
        ahead.ReadExactly(new byte[10]);
        ahead.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ahead.ReadExactly(new byte[1]));
    }
}
