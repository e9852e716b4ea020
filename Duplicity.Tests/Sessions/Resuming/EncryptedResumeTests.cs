using Duplicity.Crypto;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Crypto;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions.Resuming;

/// <summary>Resuming encrypted sets: with the public key only, and refused when the encryption settings changed.</summary>
[Category("Unit")]
public class EncryptedResumeTests
{
    private const long T0 = ResumeFixture.T0;

    private static async Task<OpenPgpKeyring> PublicOnlyAsync()
    {
        var ring = new OpenPgpKeyring();
        await using var export = File.OpenRead(Path.Combine(GpgTestKeys.DataDir, "rsa-nopass.pub.asc"));
        await ring.AddExportAsync(export);
        return ring;
    }

    private static RepositoryOptions With(ResumeFixture f, long time, EncryptionOptions encryption, DecryptionOptions? decryption = null) => new()
    {
        TimeProvider = new FixedClock(time), ArchiveDirectory = f.ArchiveRoot, Name = "resume", Encryption = encryption, Decryption = decryption,
    };

    [Test]
    public async Task APublicKeyBackupResumesWithThePublicKeyOnly()
    {
        using var f = new ResumeFixture();
        var publicKey = EncryptionOptions.PublicKey(await PublicOnlyAsync(), GpgTestKeys.RsaNoPass);
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains(".vol3.", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => Support.Sessions.BackupAsync(faulty, With(f, T0, publicKey), f.Options()));

        var resumed = await Support.Sessions.BackupAsync(f.Backend, With(f, T0 + 60, publicKey), f.Options());

        Assert.That(resumed.ResumedAfterVolume, Is.EqualTo(2));
        Assert.That(resumed.Time, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(T0)));
        var secret = await GpgTestKeys.KeyringAsync("rsa-nopass");
        var target = f.Sub("restored");
        await Support.Sessions.RestoreAsync(f.Backend, new RepositoryOptions { ArchiveDirectory = f.Sub("restore-cache"), Name = "r", Decryption = new DecryptionOptions { Keyring = secret } },
            new RestoreOptions { Target = target });
        Assert.That(TreeSnapshot.Describe(target, includeRootMtime: false), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task ResumeRefusesOtherEncryptionSettings()
    {
        using var f = new ResumeFixture();
        var passphrase = EncryptionOptions.Passphrase(new FixedPassphraseSource("secret"));
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains(".vol3.", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => Support.Sessions.BackupAsync(faulty, With(f, T0, passphrase), f.Options()));

        var e = Assert.ThrowsAsync<DuplicityException>(() => Support.Sessions.BackupAsync(f.Backend, With(f, T0 + 60, EncryptionOptions.None), f.Options()));

        Assert.That(e!.Code, Is.EqualTo(DuplicityErrorCode.EncryptionMismatch));
    }

    [Test]
    public async Task ResumeRefusesAnotherPassphrase()
    {
        using var f = new ResumeFixture();
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains(".vol3.", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => Support.Sessions.BackupAsync(faulty, With(f, T0, EncryptionOptions.Passphrase(new FixedPassphraseSource("secret"))), f.Options()));

        var wrong = EncryptionOptions.Passphrase(new FixedPassphraseSource("another"));
        var e = Assert.ThrowsAsync(Is.InstanceOf<DuplicityException>(), () => Support.Sessions.BackupAsync(f.Backend, With(f, T0 + 60, wrong), f.Options()));

        Assert.That(((DuplicityException)e!).Code, Is.EqualTo(DuplicityErrorCode.GpgFailed), "the passphrase is proved on volume 1 before anything is written");
        Assert.That(f.Stored(".vol"), Has.Count.EqualTo(2));
    }
}
