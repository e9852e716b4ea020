using Duplicity.Repository;
using Duplicity.Backends;
using Duplicity.Crypto;
using Duplicity.Samples;
using Duplicity.Sessions;
using Duplicity.Tests.Crypto;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Interop;

/// <summary>Encrypted backups: duplicity and gpg read ours, we read theirs; wrong passphrases fail alike.</summary>
[Category("Interop")]
[NonParallelizable]
public class EncryptedInteropTests
{
    private const long T0 = 1_700_000_000;

    private static async Task BackupAsync(TempFolder tmp, string src, string url, EncryptionOptions encryption, long time)
    {
        await using var backend = new BackendRegistry().AddFileSystem().Open(url);
        await Support.Sessions.BackupAsync(backend, new RepositoryOptions
        {
            Encryption = encryption,
            TimeProvider = new FixedClock(time),
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "ours",
        }, new BackupOptions
        {
            Source = src,
            VolumeSize = 1024 * 1024,
        });
    }

    private static async Task RestoreAsync(TempFolder tmp, string url, string target, DecryptionOptions decryption, long? time = null)
    {
        await using var backend = new BackendRegistry().AddFileSystem().Open(url);
        await Support.Sessions.RestoreAsync(backend, new RepositoryOptions
        {
            Decryption = decryption,
            ArchiveDirectory = tmp.Sub("restore-cache-" + Guid.NewGuid().ToString("N")),
            Name = "x",
        }, new RestoreOptions
        {
            Target = target,
            Time = time is { } t ? DateTimeOffset.FromUnixTimeSeconds(t) : null,
        });
    }

    [Test]
    public async Task PassphraseChainRestoresWithDuplicityAndGpgReadsOurManifest()
    {
        using var keys = new GpgTestKeys();
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 1_500_000);
        var url = "file://" + tmp.Sub("remote");
        var encryption = EncryptionOptions.Passphrase(new FixedPassphraseSource("s3cret pass"));
        await BackupAsync(tmp, src, url, encryption, T0);
        var first = TreeSnapshot.Describe(src);
        TreeMutator.Mutate(src, 1);
        await BackupAsync(tmp, src, url, encryption, T0 + 3600);
        var second = TreeSnapshot.Describe(src);
        Assert.That(Directory.GetFiles(tmp.Sub("remote"), "*.difftar.gpg").Length, Is.GreaterThanOrEqualTo(3));
        Assert.That(Directory.GetFiles(tmp.Sub("remote"), "*.gz"), Is.Empty);

        var env = new Dictionary<string, string?> { ["PASSPHRASE"] = "s3cret pass", ["GNUPGHOME"] = keys.Home };
        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("dc"), env, "restore", url, tmp.Sub("dup-latest"))).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("dup-latest")), Is.EqualTo(second));
        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("dc"), env, "restore", "--time", T0.ToString(), url, tmp.Sub("dup-first"))).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("dup-first")), Is.EqualTo(first));

        var manifest = Directory.GetFiles(tmp.Sub("remote"), "duplicity-full.*.manifest.gpg").Single();
        var gpg = await keys.GpgAsync("--passphrase", "s3cret pass", "--status-fd", "1", "--decrypt", manifest);
        gpg.EnsureSuccess();
        Assert.That(gpg.StandardOutput, Does.Contain("Volume 1:"));
        Assert.That(gpg.StandardError, Does.Not.Contain("WARNING"));

        await RestoreAsync(tmp, url, tmp.Sub("ours"), new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("s3cret pass") });
        Assert.That(TreeSnapshot.Describe(tmp.Sub("ours")), Is.EqualTo(second));
    }

    [Test]
    public async Task PublicKeyHiddenAndSignedBackupsRestoreWithDuplicity()
    {
        using var keys = new GpgTestKeys();
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 300_000);
        var ring = await OpenPgpKeyring.LoadGnuPGHomeAsync(keys.Home);
        var env = new Dictionary<string, string?> { ["PASSPHRASE"] = GpgTestKeys.Passphrase, ["GNUPGHOME"] = keys.Home };
        var cases = new (string Name, EncryptionOptions Options, string[] DuplicityArgs)[]
        {
            ("multi", EncryptionOptions.PublicKey(ring, GpgTestKeys.RsaNoPass, GpgTestKeys.EdNoPass), []),
            // gpg tries the secret keys in turn for a hidden recipient and fails the run when an earlier ECDH key does not fit
            // (duplicity cannot restore its own hidden backups to the other Curve25519 key of this keyring either).
            ("hidden", EncryptionOptions.PublicKey(ring).WithHiddenRecipients(ring, GpgTestKeys.EdNoPass), []),
            ("signed", EncryptionOptions.PublicKey(ring, GpgTestKeys.RsaPass).WithSignKey(ring, GpgTestKeys.EdNoPass), ["--sign-key", GpgTestKeys.EdNoPass[^8..]]),
        };
        foreach (var (name, options, args) in cases)
        {
            var url = "file://" + tmp.Sub("remote-" + name);
            await BackupAsync(tmp, src, url, options, T0);
            var result = await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("dc-" + name), env, ["restore", .. args, url, tmp.Sub("out-" + name)]);
            result.EnsureSuccess();
            Assert.That(TreeSnapshot.Describe(tmp.Sub("out-" + name)), Is.EqualTo(TreeSnapshot.Describe(src)), name);
        }
    }

    [Test]
    public async Task WeRestoreDuplicitysPassphraseAndPublicKeyAndSignedBackups()
    {
        using var keys = new GpgTestKeys();
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 300_000);
        var ring = await OpenPgpKeyring.LoadGnuPGHomeAsync(keys.Home);
        var env = new Dictionary<string, string?> { ["PASSPHRASE"] = GpgTestKeys.Passphrase, ["GNUPGHOME"] = keys.Home };

        var sym = "file://" + tmp.Sub("sym");
        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("d1"), env, "full", "--volsize", "1", src, sym)).EnsureSuccess();
        await RestoreAsync(tmp, sym, tmp.Sub("o-sym"), new DecryptionOptions { PassphraseSource = new FixedPassphraseSource(GpgTestKeys.Passphrase) });
        Assert.That(TreeSnapshot.Describe(tmp.Sub("o-sym")), Is.EqualTo(TreeSnapshot.Describe(src)));

        // Encrypted to a key whose secret key is passphrase-protected, and signed.
        var pk = "file://" + tmp.Sub("pk");
        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("d2"), new Dictionary<string, string?> { ["PASSPHRASE"] = GpgTestKeys.Passphrase, ["SIGN_PASSPHRASE"] = "", ["GNUPGHOME"] = keys.Home },
            "full", "--encrypt-key", GpgTestKeys.RsaPass, "--sign-key", GpgTestKeys.EdNoPass, src, pk)).EnsureSuccess();
        var decryption = new DecryptionOptions { Keyring = ring, PassphraseSource = new FixedPassphraseSource(GpgTestKeys.Passphrase), ExpectedSignKey = GpgTestKeys.EdNoPass };
        await RestoreAsync(tmp, pk, tmp.Sub("o-pk"), decryption);
        Assert.That(TreeSnapshot.Describe(tmp.Sub("o-pk")), Is.EqualTo(TreeSnapshot.Describe(src)));

        // A different expected signer is refused with duplicity's code 22, before anything is written.
        var wrongSigner = decryption with { ExpectedSignKey = GpgTestKeys.RsaNoPass };
        var e = Assert.ThrowsAsync(Is.InstanceOf<DuplicityException>(), () => RestoreAsync(tmp, pk, tmp.Sub("o-wrong"), wrongSigner));
        Assert.That(((DuplicityException)e!).Code, Is.EqualTo(DuplicityErrorCode.UnsignedVolume));
    }

    [TestCase("20200913T122820Z")]
    [TestCase("20200913T132820Z")]
    [TestCase("20200913T142820Z")]
    public async Task GpgFixtureRestoresAtEachTime(string time)
    {
        using var tmp = new TempFolder();
        var remote = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "fixtures", "gpg", "remote");
        var plainOut = tmp.Sub("plain");
        var gpgOut = tmp.Sub("gpg");
        await using (var plain = new FileBackend(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "fixtures", "plain", "remote")))
            await Support.Sessions.RestoreAsync(plain, new RepositoryOptions
            {
                ArchiveDirectory = tmp.Sub("c1"),
                Name = "p",
            }, new RestoreOptions
            {
                Target = plainOut,
                Time = DateTimeOffset.FromUnixTimeSeconds(DuplicityTimeOf(time)),
                Ownership = OwnershipRestore.None,
            });
        await using (var backend = new FileBackend(remote))
            await Support.Sessions.RestoreAsync(backend, new RepositoryOptions
            {
                Decryption = new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("duplicity-test") },
                ArchiveDirectory = tmp.Sub("c2"),
                Name = "g",
            }, new RestoreOptions
            {
                Target = gpgOut,
                Time = DateTimeOffset.FromUnixTimeSeconds(DuplicityTimeOf(time)),
                Ownership = OwnershipRestore.None,
            });
        // Both fixtures hold the same trees (the plain one is checked against expected.json elsewhere).
        Assert.That(TreeSnapshot.Describe(gpgOut, includeOwner: false), Is.EqualTo(TreeSnapshot.Describe(plainOut, includeOwner: false)));
    }

    private static long DuplicityTimeOf(string s) => Duplicity.Archive.Naming.DuplicityTime.TryParse(s, out var t) ? t : throw new ArgumentException(s);

    [Test]
    public async Task WrongPassphraseExitsLikeDuplicityAndNeverShowsThePassphrase()
    {
        using var keys = new GpgTestKeys();
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 100_000);
        var url = "file://" + tmp.Sub("remote");
        await BackupAsync(tmp, src, url, EncryptionOptions.Passphrase(new FixedPassphraseSource("right one")), T0);

        var theirs = await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("dc"), new Dictionary<string, string?> { ["PASSPHRASE"] = "hunter2-wrong", ["GNUPGHOME"] = keys.Home },
            "restore", url, tmp.Sub("dup-out"));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var old = Environment.GetEnvironmentVariable("PASSPHRASE");
        Environment.SetEnvironmentVariable("PASSPHRASE", "hunter2-wrong");
        int ours;
        try
        {
            ours = await ConsoleApp.RunAsync(["restore", "--archive-dir", tmp.Sub("oc"), "-v", "9", url, tmp.Sub("our-out")], stdout, stderr);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PASSPHRASE", old);
        }
        Assert.That(theirs.ExitCode, Is.EqualTo(31));
        Assert.That(ours, Is.EqualTo(theirs.ExitCode));
        Assert.That(stdout.ToString() + stderr, Does.Not.Contain("hunter2"));
        Assert.That(Directory.Exists(tmp.Sub("our-out")) ? Directory.GetFileSystemEntries(tmp.Sub("our-out")) : [], Is.Empty, "nothing restored");
    }
}
