using Duplicity.Crypto;

namespace Duplicity.Tests.Crypto;

/// <summary>gpg 2.2 reads what we write and we read what it writes.</summary>
[Category("Interop")]
public class GpgInteropTests
{
    private static readonly byte[] Plain = OpenPgpRoundTripTests.Payload(150_000, seed: 7);

    private static async Task<string> GpgDecryptsAsync(GpgTestKeys keys, byte[] message, string passphrase = GpgTestKeys.Passphrase)
    {
        var input = keys.Scratch("msg.gpg");
        var output = keys.Scratch("out.bin");
        File.Delete(output);
        await File.WriteAllBytesAsync(input, message);
        var r = await keys.GpgAsync("--passphrase", passphrase, "--status-fd", "1", "--output", output, "--decrypt", input);
        r.EnsureSuccess();
        Assert.That(await File.ReadAllBytesAsync(output), Is.EqualTo(Plain));
        Assert.That(r.StandardError, Does.Not.Contain("WARNING"));
        Assert.That(r.StandardOutput, Does.Contain("DECRYPTION_OKAY").And.Contain("GOODMDC"));
        return r.StandardOutput;
    }

    [Test]
    public async Task Gpg_decrypts_our_symmetric_message()
    {
        using var keys = new GpgTestKeys();
        var message = await OpenPgpRoundTripTests.EncryptAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource("sym pass")), Plain);
        await GpgDecryptsAsync(keys, message, "sym pass");
    }

    [Test]
    public async Task Gpg_decrypts_our_multi_recipient_message_with_either_key()
    {
        using var keys = new GpgTestKeys();
        var ring = await OpenPgpKeyring.LoadGnuPGHomeAsync(keys.Home);
        var message = await OpenPgpRoundTripTests.EncryptAsync(EncryptionOptions.PublicKey(ring, GpgTestKeys.RsaPass, GpgTestKeys.EdPass[^16..]), Plain);
        await GpgDecryptsAsync(keys, message);
        // remove the RSA secret key so that gpg must use the Curve25519 one
        var rsaOnly = await keys.GpgAsync("--yes", "--delete-secret-keys", GpgTestKeys.RsaPass);
        rsaOnly.EnsureSuccess();
        await GpgDecryptsAsync(keys, message);
    }

    [Test]
    public async Task Gpg_decrypts_our_hidden_recipient_message()
    {
        using var keys = new GpgTestKeys();
        var ring = await OpenPgpKeyring.LoadGnuPGHomeAsync(keys.Home);
        var message = await OpenPgpRoundTripTests.EncryptAsync(EncryptionOptions.None.WithHiddenRecipients(ring, GpgTestKeys.EdNoPass), Plain);
        Assert.That(message.AsSpan(3, 8).ToArray(), Is.All.EqualTo(0), "wildcard key id");
        await GpgDecryptsAsync(keys, message);
    }

    [TestCase("rsa-nopass", GpgTestKeys.RsaNoPass)]
    [TestCase("ed-pass", GpgTestKeys.EdPass)]
    public async Task Gpg_checks_our_signature(string keyName, string fingerprint)
    {
        using var keys = new GpgTestKeys();
        var ring = await GpgTestKeys.KeyringAsync(keyName);
        var options = EncryptionOptions.Passphrase(new FixedPassphraseSource(GpgTestKeys.Passphrase)).WithSignKey(ring, fingerprint);
        var message = await OpenPgpRoundTripTests.EncryptAsync(options, Plain);
        var status = await GpgDecryptsAsync(keys, message);
        Assert.That(status, Does.Contain("[GNUPG:] GOODSIG"));
        Assert.That(status, Does.Contain("VALIDSIG"));
    }

    [TestCase("--symmetric")]
    [TestCase("--symmetric", "--cipher-algo", "CAST5", "--compress-algo", "zip")]
    [TestCase("--symmetric", "--compress-algo", "bzip2")]
    [TestCase("--symmetric", "--compress-algo", "zlib", "--cipher-algo", "AES128")]
    [TestCase("--symmetric", "--compress-algo", "none")]
    [TestCase("--symmetric", "--rfc2440", "--cipher-algo", "CAST5")]
    [TestCase("--encrypt", "--recipient", GpgTestKeys.RsaNoPass)]
    [TestCase("--encrypt", "--hidden-recipient", GpgTestKeys.EdPass)]
    [TestCase("--encrypt", "--recipient", GpgTestKeys.EdNoPass, "--sign", "--local-user", GpgTestKeys.RsaPass)]
    [TestCase("--symmetric", "--sign", "--local-user", GpgTestKeys.EdNoPass)]
    public async Task We_decrypt_what_gpg_writes(params string[] mode)
    {
        using var keys = new GpgTestKeys();
        var input = keys.Scratch("plain.bin");
        var output = keys.Scratch("msg.gpg");
        await File.WriteAllBytesAsync(input, Plain);
        var args = new List<string> { "--passphrase", GpgTestKeys.Passphrase, "--trust-model", "always", "--output", output };
        args.AddRange(mode);
        args.Add(input);
        (await keys.GpgAsync(args.ToArray())).EnsureSuccess();
        var ring = await GpgTestKeys.KeyringAsync("rsa-nopass", "rsa-pass", "ed-nopass", "ed-pass");
        var signed = mode.Contains("--sign");
        var options = new DecryptionOptions
        {
            Keyring = ring,
            PassphraseSource = new FixedPassphraseSource(GpgTestKeys.Passphrase),
            ExpectedSignKey = signed ? mode[^1] : null,
            AllowLegacyUnprotectedData = mode.Contains("--rfc2440"), // no MDC: refused unless allowed
        };
        var (back, stream) = await OpenPgpRoundTripTests.DecryptAsync(options, await File.ReadAllBytesAsync(output));
        Assert.That(back, Is.EqualTo(Plain));
        Assert.That(stream.Signature!.IsValid, Is.EqualTo(signed));
        Assert.That(stream.IsIntegrityProtected, Is.EqualTo(!mode.Contains("--rfc2440")));
        Assert.That(stream.DecryptedInHouse, Is.EqualTo(!mode.Contains("CAST5")), "AES in SEIPD takes the fast path, the rest BouncyCastle");
    }

    [TestCase("AES128", "zip")]
    [TestCase("AES192", "zlib")]
    [TestCase("AES256", "zip")]
    public async Task We_decrypt_large_gpg_messages_for_each_AES_key_size(string cipher, string compression)
    {
        using var keys = new GpgTestKeys();
        var plain = OpenPgpRoundTripTests.Payload(3_000_001, seed: 5);
        var input = keys.Scratch("plain.bin");
        var output = keys.Scratch("msg.gpg");
        await File.WriteAllBytesAsync(input, plain);
        (await keys.GpgAsync("--passphrase", "k", "--output", output, "--symmetric", "--cipher-algo", cipher, "--compress-algo", compression, input)).EnsureSuccess();
        var (back, stream) = await OpenPgpRoundTripTests.DecryptAsync(new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("k") }, await File.ReadAllBytesAsync(output));
        Assert.That(back, Is.EqualTo(plain));
        Assert.That(stream.DecryptedInHouse, Is.True);
        Assert.That(stream.IsIntegrityProtected, Is.True);
    }

    [Test]
    public async Task Gpg_decrypts_our_multi_block_parallel_compressed_message_without_warnings()
    {
        using var keys = new GpgTestKeys();
        var plain = OpenPgpRoundTripTests.Payload(3_500_000, seed: 9);
        var input = keys.Scratch("msg.gpg");
        var output = keys.Scratch("out.bin");
        await File.WriteAllBytesAsync(input, await OpenPgpRoundTripTests.EncryptAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource("big")), plain));
        var r = (await keys.GpgAsync("--passphrase", "big", "--status-fd", "1", "--output", output, "--decrypt", input)).EnsureSuccess();
        Assert.That(await File.ReadAllBytesAsync(output), Is.EqualTo(plain));
        Assert.That(r.StandardError, Does.Not.Contain("WARNING"));
        Assert.That(r.StandardOutput, Does.Contain("DECRYPTION_OKAY").And.Contain("GOODMDC"));
    }

    [TestCase("--encrypt", "--recipient", GpgTestKeys.EdPass, "--sign", "--local-user", GpgTestKeys.RsaPass)]
    [TestCase("--encrypt", "--hidden-recipient", GpgTestKeys.RsaPass, "--sign", "--local-user", GpgTestKeys.EdPass)]
    [TestCase("--encrypt", "--recipient", GpgTestKeys.EdNoPass, "--recipient", GpgTestKeys.RsaNoPass)]
    public async Task We_decrypt_with_the_secret_keys_of_a_GnuPG_home(params string[] mode)
    {
        using var keys = new GpgTestKeys();
        var input = keys.Scratch("plain.bin");
        var output = keys.Scratch("msg.gpg");
        await File.WriteAllBytesAsync(input, Plain);
        var args = new List<string> { "--passphrase", GpgTestKeys.Passphrase, "--trust-model", "always", "--output", output };
        args.AddRange(mode);
        args.Add(input);
        (await keys.GpgAsync(args.ToArray())).EnsureSuccess();
        var ring = await OpenPgpKeyring.LoadGnuPGHomeAsync(keys.Home);
        var signed = mode.Contains("--sign");
        var options = new DecryptionOptions { Keyring = ring, PassphraseSource = new FixedPassphraseSource(GpgTestKeys.Passphrase), ExpectedSignKey = signed ? mode[^1] : null };
        var (back, stream) = await OpenPgpRoundTripTests.DecryptAsync(options, await File.ReadAllBytesAsync(output));
        Assert.That(back, Is.EqualTo(Plain));
        Assert.That(stream.Signature!.IsValid, Is.EqualTo(signed));
    }

    [TestCase(GpgTestKeys.RsaPass)]
    [TestCase(GpgTestKeys.EdPass)]
    public async Task Gpg_checks_a_signature_made_with_a_GnuPG_home_key(string signer)
    {
        using var keys = new GpgTestKeys();
        var ring = await OpenPgpKeyring.LoadGnuPGHomeAsync(keys.Home);
        Assert.That(ring.HasSecretKey(signer), Is.True);
        var options = EncryptionOptions.PublicKey(ring, GpgTestKeys.EdNoPass)
            .WithSignKey(ring, signer, new FixedPassphraseSource(GpgTestKeys.Passphrase));
        var status = await GpgDecryptsAsync(keys, await OpenPgpRoundTripTests.EncryptAsync(options, Plain));
        Assert.That(status, Does.Contain("[GNUPG:] GOODSIG " + signer[^16..]));
    }

    [Test]
    public async Task Our_symmetric_message_has_gnupg_2_2_shape()
    {
        using var keys = new GpgTestKeys();
        var ring = await GpgTestKeys.KeyringAsync("rsa-nopass");
        var options = EncryptionOptions.Passphrase(new FixedPassphraseSource("shape")).WithSignKey(ring, GpgTestKeys.RsaNoPass);
        var path = keys.Scratch("shape.gpg");
        await File.WriteAllBytesAsync(path, await OpenPgpRoundTripTests.EncryptAsync(options, Plain));
        var r = (await keys.GpgAsync("--passphrase", "shape", "--list-packets", path)).EnsureSuccess();
        var text = r.StandardOutput;
        Assert.That(text, Does.Contain("symkey enc packet: version 4, cipher 9, aead 0,s2k 3, hash 2"));
        Assert.That(text, Does.Contain("count 65011712"));
        Assert.That(text, Does.Contain("encrypted data packet:").And.Contain("mdc_method: 2"));
        Assert.That(text, Does.Contain("compressed packet: algo=1"));
        Assert.That(text, Does.Contain("onepass_sig packet:"));
        Assert.That(text, Does.Contain("literal data packet:").And.Contain("mode b (62), created").And.Contain("name=\"\""));
        Assert.That(text, Does.Contain("partial"), "streamed with partial body lengths");
    }

    [Test]
    public async Task Tampered_message_is_rejected()
    {
        var message = await OpenPgpRoundTripTests.EncryptAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource("x")).WithCompression(false), Plain);
        message[message.Length / 2] ^= 1;
        Assert.ThrowsAsync<ArchiveCorruptException>(async () =>
            await OpenPgpRoundTripTests.DecryptAsync(new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("x") }, message));
    }
}
