using Duplicity.Crypto;
using Duplicity.Tests.Crypto;
using Duplicity.Tests.Support;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;
using static Duplicity.Tests.Sessions.Hostile.CraftedArchive;

namespace Duplicity.Tests.Sessions.Hostile;

/// <summary>
/// OpenPGP volumes count as good only once their whole stream was read and checked (MDC, expected
/// signature), including the bytes after the tar end; data without an MDC is refused by default.
/// The manifest hash is recomputed for every tampered volume, as an attacker who can write the
/// backend would do, so only the OpenPGP checks stand in the way.
/// </summary>
[Category("Fault")]
public class EncryptedVolumeIntegrityTests
{
    /// <summary>The hello tar followed by 100 KB of random bytes, as duplicity pads gpg volumes.</summary>
    internal static byte[] PaddedHelloTar()
    {
        var tar = HelloTar();
        var padding = new byte[100_000];
        new Random(7).NextBytes(padding);
        return [.. tar, .. padding];
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task AnIntactPaddedVolumeRestores(bool fastPath)
    {
        using var tmp = new TempFolder();
        var backend = await BackendWithAsync(await EncryptAsync(PaddedHelloTar()), encrypted: true);
        var result = await RestoreAsync(backend, tmp, Decryption(fastPath));
        Assert.That(result.ObjectsRestored, Is.EqualTo(2));
        Assert.That(System.IO.File.ReadAllText(Path.Combine(tmp.Sub("target"), "a.txt")), Is.EqualTo("hello\n"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task AFlippedMdcByteAfterTheTarEndFailsTheRestore(bool fastPath)
    {
        using var tmp = new TempFolder();
        var volume = await EncryptAsync(PaddedHelloTar());
        // The SEIPD packet ends the file and the MDC packet ends its plaintext: in CFB the last
        // ciphertext byte decrypts to the last byte of the MDC's SHA-1 and garbles nothing else.
        volume[^1] ^= 0x01;
        var backend = await BackendWithAsync(volume, encrypted: true);
        var e = Assert.ThrowsAsync(Is.InstanceOf<ArchiveCorruptException>(), () => RestoreAsync(backend, tmp, Decryption(fastPath)));
        Assert.That(e!.Message, Does.Contain("MDC"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task ATruncatedVolumeFailsTheRestore(bool fastPath)
    {
        using var tmp = new TempFolder();
        var volume = await EncryptAsync(PaddedHelloTar());
        var backend = await BackendWithAsync(volume[..(volume.Length - 5000)], encrypted: true);
        Assert.ThrowsAsync(Is.InstanceOf<ArchiveCorruptException>(), () => RestoreAsync(backend, tmp, Decryption(fastPath)));
    }

    [TestCase(true, 200)]
    [TestCase(false, 200)]
    [TestCase(true, 60_000)]
    [TestCase(false, 60_000)]
    public async Task ABitFlipAnywhereFailsTheRestore(bool fastPath, int fromEnd)
    {
        using var tmp = new TempFolder();
        var volume = await EncryptAsync(PaddedHelloTar());
        volume[^fromEnd] ^= 0x20; // inside the padding: the tar itself still parses
        var backend = await BackendWithAsync(volume, encrypted: true);
        Assert.ThrowsAsync(Is.InstanceOf<ArchiveCorruptException>(), () => RestoreAsync(backend, tmp, Decryption(fastPath)));
    }

    /// <summary>A tag-9 packet (no MDC) as old gpg wrote it, from BouncyCastle's generator.</summary>
    internal static byte[] EncryptWithoutMdc(byte[] plain)
    {
        var generator = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, withIntegrityPacket: false, new SecureRandom());
        generator.AddMethodUtf8(Passphrase.ToCharArray(), HashAlgorithmTag.Sha256);
        using var output = new MemoryStream();
        using (var encrypted = generator.Open(output, new byte[1 << 12]))
        {
            using var literal = new PgpLiteralDataGenerator().Open(encrypted, PgpLiteralData.Binary, "", plain.Length, DateTime.UnixEpoch);
            literal.Write(plain);
        }
        return output.ToArray();
    }

    [Test]
    public async Task DataWithoutAnMdcIsRefusedUnlessLegacyArchivesAreAllowed()
    {
        var volume = EncryptWithoutMdc(PaddedHelloTar());
        var list = (PgpEncryptedDataList)new PgpObjectFactory(volume).NextPgpObject();
        Assert.That(((PgpEncryptedData)list[0]).IsIntegrityProtected(), Is.False, "a tag-9 packet");
        using (var tmp = new TempFolder())
        {
            var e = Assert.ThrowsAsync<UnprotectedDataException>(async () => await RestoreAsync(await BackendWithAsync(volume, encrypted: true), tmp, Decryption()));
            Assert.That(e!.Code, Is.EqualTo(DuplicityErrorCode.GpgFailed));
            Assert.That(FilesIn(tmp), Is.Empty);
        }
        using (var tmp = new TempFolder())
        {
            var result = await RestoreAsync(await BackendWithAsync(volume, encrypted: true), tmp, Decryption() with { AllowLegacyUnprotectedData = true });
            Assert.That(result.ObjectsRestored, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task AnUnsignedVolumeFailsWhenASignatureIsExpected()
    {
        var ring = await GpgTestKeys.KeyringAsync("ed-nopass");
        var expectSigned = Decryption() with { Keyring = ring, ExpectedSignKey = GpgTestKeys.EdNoPass };
        using (var tmp = new TempFolder())
        {
            var unsigned = await EncryptAsync(PaddedHelloTar());
            var backend = await BackendWithAsync(unsigned, encrypted: true);
            // The manifest is signed (else the cache sync would stop first); only the volume is not.
            backend.SetContent(Stamp + ".manifest.gpg", await EncryptAsync(await ManifestOfAsync(backend), SignedOptions(ring)));
            var e = Assert.ThrowsAsync(Is.InstanceOf<DuplicityException>(), () => RestoreAsync(backend, tmp, expectSigned));
            Assert.That(((DuplicityException)e!).Code, Is.EqualTo(DuplicityErrorCode.UnsignedVolume));
        }
        using (var tmp = new TempFolder())
        {
            var signed = await EncryptAsync(PaddedHelloTar(), SignedOptions(ring));
            var backend = await BackendWithAsync(signed, encrypted: true);
            backend.SetContent(Stamp + ".manifest.gpg", await EncryptAsync(await ManifestOfAsync(backend), SignedOptions(ring)));
            Assert.That((await RestoreAsync(backend, tmp, expectSigned)).ObjectsRestored, Is.EqualTo(2));
        }
    }

    private static EncryptionOptions SignedOptions(OpenPgpKeyring ring) =>
        EncryptionOptions.Passphrase(PassphraseSource).WithCompression(false).WithSignKey(ring, GpgTestKeys.EdNoPass);

    private static async Task<byte[]> ManifestOfAsync(Duplicity.Backends.InMemoryBackend backend)
    {
        await using var stored = await backend.GetAsync(Stamp + ".manifest.gpg");
        await using var plain = await OpenPgpDecryptor.OpenReadAsync(stored, Decryption());
        using var copy = new MemoryStream();
        await plain.CopyToAsync(copy);
        return copy.ToArray();
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task AManifestWithoutHashesRestoresWithAWarning(bool encrypted)
    {
        using var tmp = new TempFolder();
        var volume = encrypted ? await EncryptAsync(PaddedHelloTar()) : Gzip(HelloTar());
        var backend = await BackendWithAsync(volume, encrypted, withHash: false);
        var logs = new RecordingLoggerFactory();
        var result = await RestoreAsync(backend, tmp, encrypted ? Decryption() : null, logs);
        Assert.That(result.ObjectsRestored, Is.EqualTo(2));
        Assert.That(logs.Warnings, Has.One.Contains("no hash for " + Stamp + ".vol1.difftar"));
    }

    [Test]
    public async Task AManifestWithoutHashesStillCatchesATamperedVolume()
    {
        using var tmp = new TempFolder();
        var volume = await EncryptAsync(PaddedHelloTar());
        volume[^1] ^= 0x80;
        var backend = await BackendWithAsync(volume, encrypted: true, withHash: false);
        Assert.ThrowsAsync(Is.InstanceOf<ArchiveCorruptException>(), () => RestoreAsync(backend, tmp, Decryption()));
    }
}
