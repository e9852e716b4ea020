using Duplicity.Crypto;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Crypto;

[Category("Unit")]
public class OpenPgpRoundTripTests
{
    internal static byte[] Payload(int length, int seed = 1)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data.AsSpan(0, length / 2)); // half random, half zeros: compressible
        return data;
    }

    internal static async Task<byte[]> EncryptAsync(EncryptionOptions options, byte[] plaintext)
    {
        var encryptor = await OpenPgpEncryptor.CreateAsync(options);
        using var output = new MemoryStream();
        using (var w = encryptor.OpenWrite(output))
            for (var i = 0; i < plaintext.Length; i += 7777) w.Write(plaintext, i, Math.Min(7777, plaintext.Length - i));
        return output.ToArray();
    }

    internal static async Task<(byte[] Plain, DecryptedMessageStream Stream)> DecryptAsync(DecryptionOptions options, byte[] message)
    {
        var stream = await OpenPgpDecryptor.OpenReadAsync(new MemoryStream(message), options);
        using var plain = new MemoryStream();
        await stream.CopyToAsync(plain);
        return (plain.ToArray(), stream);
    }

    [TestCase(true, 0)]
    [TestCase(true, 300_000)]
    [TestCase(false, 300_000)]
    [TestCase(false, 65536)]
    public async Task Symmetric_round_trip(bool compress, int length)
    {
        var plain = Payload(length);
        var message = await EncryptAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource("pw")).WithCompression(compress), plain);
        Assert.That(message[0], Is.EqualTo(0x8C), "old-format SKESK first, as gpg writes it");
        var (back, stream) = await DecryptAsync(new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("pw") }, message);
        Assert.That(back, Is.EqualTo(plain));
        Assert.That(stream.IsIntegrityProtected, Is.True);
        Assert.That(stream.Signature, Is.EqualTo(SignatureCheck.Unsigned));
    }

    [Test]
    public async Task Public_key_round_trip_to_two_recipients_one_hidden_and_signed()
    {
        var ring = await GpgTestKeys.KeyringAsync("rsa-nopass", "ed-nopass");
        var options = EncryptionOptions.PublicKey(ring, GpgTestKeys.RsaNoPass)
            .WithHiddenRecipients(ring, GpgTestKeys.EdNoPass[^16..])
            .WithSignKey(ring, GpgTestKeys.EdNoPass);
        var plain = Payload(200_000);
        var message = await EncryptAsync(options, plain);
        foreach (var key in new[] { "rsa-nopass", "ed-nopass" })
        {
            var (back, stream) = await DecryptAsync(new DecryptionOptions { Keyring = await GpgTestKeys.KeyringAsync(key, "ed-nopass"), ExpectedSignKey = GpgTestKeys.EdNoPass }, message);
            Assert.That(back, Is.EqualTo(plain), key);
            Assert.That(stream.Signature!.IsValid, Is.True);
        }
    }

    [Test]
    public async Task Wrong_passphrase_is_a_typed_error_that_hides_the_passphrase()
    {
        const string secret = "correct horse battery staple";
        var message = await EncryptAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource(secret)), Payload(1000));
        const string wrong = "Tr0ub4dor&3-wrong-secret";
        var e = Assert.ThrowsAsync<WrongPassphraseException>(async () =>
            await DecryptAsync(new DecryptionOptions { PassphraseSource = new FixedPassphraseSource(wrong) }, message))!;
        Assert.That(e.Code, Is.EqualTo(DuplicityErrorCode.GpgFailed));
        Assert.That(e.ToString(), Does.Not.Contain(wrong).And.Not.Contain(secret));
        Assert.That(new FixedPassphraseSource(wrong).ToString(), Does.Not.Contain(wrong));
        Assert.That(EncryptionOptions.Passphrase(new FixedPassphraseSource(wrong)).ToString(), Does.Not.Contain(wrong));
    }

    [Test]
    public async Task Protected_secret_key_needs_its_passphrase()
    {
        var ring = await GpgTestKeys.KeyringAsync("rsa-pass");
        var message = await EncryptAsync(EncryptionOptions.PublicKey(ring, GpgTestKeys.RsaPass), Payload(5000));
        var e = Assert.ThrowsAsync<WrongPassphraseException>(async () =>
            await DecryptAsync(new DecryptionOptions { Keyring = ring, PassphraseSource = new FixedPassphraseSource("nope") }, message))!;
        Assert.That(e.ToString(), Does.Not.Contain("nope"));
        var (back, _) = await DecryptAsync(new DecryptionOptions { Keyring = ring, PassphraseSource = new FixedPassphraseSource(GpgTestKeys.Passphrase) }, message);
        Assert.That(back, Is.EqualTo(Payload(5000)));
    }

    [Test]
    public async Task Expected_signer_missing_or_different_is_error_22()
    {
        var ring = await GpgTestKeys.KeyringAsync("rsa-nopass", "ed-nopass");
        var unsigned = await EncryptAsync(EncryptionOptions.PublicKey(ring, GpgTestKeys.RsaNoPass), Payload(100));
        var e = Assert.ThrowsAsync<DuplicityException>(async () =>
            await DecryptAsync(new DecryptionOptions { Keyring = ring, ExpectedSignKey = GpgTestKeys.RsaNoPass }, unsigned))!;
        Assert.That(e.Code, Is.EqualTo(DuplicityErrorCode.UnsignedVolume));
        Assert.That(e.Message, Is.EqualTo("Volume was signed by key None, not 4C6E05DB".Replace("4C6E05DB", GpgTestKeys.RsaNoPass[^4..])));

        var signedByEd = await EncryptAsync(EncryptionOptions.PublicKey(ring, GpgTestKeys.RsaNoPass).WithSignKey(ring, GpgTestKeys.EdNoPass), Payload(100));
        e = Assert.ThrowsAsync<DuplicityException>(async () =>
            await DecryptAsync(new DecryptionOptions { Keyring = ring, ExpectedSignKey = GpgTestKeys.RsaNoPass[^8..] }, signedByEd))!;
        Assert.That(e.Code, Is.EqualTo(DuplicityErrorCode.UnsignedVolume));
        Assert.That(e.Message, Does.StartWith("Volume was signed by key ").And.EndWith("not " + GpgTestKeys.RsaNoPass[^8..]));
    }

    [Test]
    public async Task Key_ids_are_checked_like_duplicity()
    {
        var ring = await GpgTestKeys.KeyringAsync("rsa-nopass");
        Assert.That(Assert.Throws<DuplicityException>(() => EncryptionOptions.PublicKey(ring, "12345"))!.Code, Is.EqualTo(DuplicityErrorCode.BadKeyId));
        Assert.That(Assert.Throws<DuplicityException>(() => KeyIdentifier.Parse("0xZZZZZZZZ"))!.Code, Is.EqualTo(DuplicityErrorCode.BadKeyId));
        var e = Assert.ThrowsAsync<DuplicityException>(async () => await OpenPgpEncryptor.CreateAsync(EncryptionOptions.PublicKey(ring, "0xDEADBEEF")))!;
        Assert.That(e.Code, Is.EqualTo(DuplicityErrorCode.GpgFailed));
        Assert.That(e.Message, Does.Contain("DEADBEEF").And.Contain("not found"));
        Assert.That(ring.Contains("0x" + GpgTestKeys.RsaNoPass[^8..]), Is.True);
        Assert.That(ring.Contains(GpgTestKeys.RsaNoPass[^16..].ToLowerInvariant()), Is.True);
        Assert.That(ring.Contains(GpgTestKeys.RsaNoPass), Is.True);
    }

    [Test]
    public async Task Encryption_picks_the_encryption_subkey()
    {
        var ring = await GpgTestKeys.KeyringAsync("ed-nopass");
        var key = ring.SelectEncryptionKey(GpgTestKeys.EdNoPass);
        Assert.That(key.IsMasterKey, Is.False);
        Assert.That(key.Algorithm, Is.EqualTo(Org.BouncyCastle.Bcpg.PublicKeyAlgorithmTag.ECDH));
    }

    [Category("Interop")]
    [Test]
    public async Task GnuPG_home_keybox_is_read()
    {
        using var keys = new GpgTestKeys();
        var ring = await OpenPgpKeyring.LoadGnuPGHomeAsync(keys.Home);
        Assert.That(ring.PrimaryFingerprints, Is.EquivalentTo(new[] { GpgTestKeys.RsaNoPass, GpgTestKeys.RsaPass, GpgTestKeys.EdNoPass, GpgTestKeys.EdPass }));
        Assert.That(KeyboxReader.ReadKeyblocks(File.ReadAllBytes(Path.Combine(keys.Home, "pubring.kbx"))), Has.Count.EqualTo(4));
        Assert.Throws<DuplicityException>(() => KeyboxReader.ReadKeyblocks(new byte[] { 0, 0, 0, 99, 2 }));
    }
}

[Category("Unit")]
public class AesNiCfbEncryptorTests
{
    [Test]
    public void Matches_dotnet_cfb128_across_calls()
    {
        if (!AesNiCfbEncryptor.IsSupported) Requirement.Missing("no AES-NI on this CPU");
        var key = new byte[32];
        new Random(5).NextBytes(key);
        var plain = new byte[16 * 100];
        new Random(6).NextBytes(plain);
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = key;
        var expected = aes.EncryptCfb(plain, new byte[16], System.Security.Cryptography.PaddingMode.None, 128);
        var ni = new AesNiCfbEncryptor(key);
        var actual = new byte[plain.Length];
        ni.EncryptBlocks(plain.AsSpan(0, 48), actual.AsSpan(0, 48));
        ni.EncryptBlocks(plain.AsSpan(48), actual.AsSpan(48));
        Assert.That(actual, Is.EqualTo(expected));
    }
}
