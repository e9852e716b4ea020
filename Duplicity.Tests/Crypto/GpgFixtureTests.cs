using Duplicity.Archive.Volumes;
using Duplicity.Crypto;

namespace Duplicity.Tests.Crypto;

/// <summary>The files real duplicity 0.8.22 + gpg wrote (TestData/fixtures/gpg) decrypt to their tar plaintext.</summary>
[Category("Unit")]
public class GpgFixtureTests
{
    private static string Remote => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "fixtures", "gpg", "remote");

    [TestCase("duplicity-full-signatures.20200913T122820Z.sigtar.gpg", 20480)]
    [TestCase("duplicity-full.20200913T122820Z.vol1.difftar.gpg", 204800)]
    [TestCase("duplicity-full.20200913T122820Z.vol2.difftar.gpg", 133120)]
    [TestCase("duplicity-inc.20200913T122820Z.to.20200913T132820Z.vol1.difftar.gpg", 10240)]
    [TestCase("duplicity-inc.20200913T132820Z.to.20200913T142820Z.vol1.difftar.gpg", 71680)]
    [TestCase("duplicity-new-signatures.20200913T132820Z.to.20200913T142820Z.sigtar.gpg", 20480)]
    public async Task Volume_decrypts_to_tar(string name, int plaintextLength)
    {
        var encoding = await OpenPgpVolumeEncoding.CreateAsync(null, new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("duplicity-test") });
        using var stream = await encoding.UnwrapAsync(File.OpenRead(Path.Combine(Remote, name)));
        using var plain = new MemoryStream();
        await stream.CopyToAsync(plain);
        var bytes = plain.ToArray();
        Assert.That(bytes.Length, Is.EqualTo(plaintextLength));
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 257, 5), Is.EqualTo("ustar"));
    }

    [Test]
    public async Task Manifest_decrypts_to_text()
    {
        var (plain, _) = await OpenPgpRoundTripTests.DecryptAsync(new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("duplicity-test") },
            await File.ReadAllBytesAsync(Path.Combine(Remote, "duplicity-full.20200913T122820Z.manifest.gpg")));
        Assert.That(System.Text.Encoding.UTF8.GetString(plain), Does.StartWith("Hostname fixture-host"));
    }

    [Test]
    public async Task Wrong_passphrase_on_a_fixture()
    {
        var e = Assert.ThrowsAsync<WrongPassphraseException>(async () => await OpenPgpRoundTripTests.DecryptAsync(
            new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("not-the-passphrase") },
            await File.ReadAllBytesAsync(Path.Combine(Remote, "duplicity-full.20200913T122820Z.manifest.gpg"))))!;
        Assert.That(e.Code, Is.EqualTo(DuplicityErrorCode.GpgFailed));
        Assert.That(e.ToString(), Does.Not.Contain("not-the-passphrase"));
    }
}
