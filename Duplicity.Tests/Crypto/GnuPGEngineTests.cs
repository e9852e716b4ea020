using Duplicity.Archive.Volumes;
using Duplicity.Backends;
using Duplicity.Crypto;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Tests.Crypto;

/// <summary>
/// The GnuPG binary engine (<see cref="OpenPgpEngine.GnuPGBinary"/>) against the real gpg 2.2 and
/// duplicity: archives cross between it, the in-process engine and duplicity; failures are typed.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class GnuPGEngineTests
{
    private const long T0 = 1_700_000_000;

    private static RepositoryOptions Options(TempFolder tmp, GnuPGOptions? gnupg, EncryptionOptions? encryption = null, DecryptionOptions? decryption = null) => new()
    {
        OpenPgpEngine = gnupg != null ? OpenPgpEngine.GnuPGBinary : OpenPgpEngine.InProcess,
        GnuPG = gnupg ?? new GnuPGOptions(),
        Encryption = encryption,
        Decryption = decryption,
        TimeProvider = new FixedClock(T0),
        ArchiveDirectory = tmp.Sub("cache-" + Guid.NewGuid().ToString("N")),
        Name = "x",
    };

    private static async Task BackupAsync(string src, string url, RepositoryOptions options)
    {
        await using var backend = new BackendRegistry().AddFileSystem().Open(url);
        await Support.Sessions.BackupAsync(backend, options, new BackupOptions { Source = src, VolumeSize = 1024 * 1024 });
    }

    private static async Task RestoreAsync(string url, string target, RepositoryOptions options, CancellationToken cancellationToken = default)
    {
        await using var backend = new BackendRegistry().AddFileSystem().Open(url);
        await Support.Sessions.RestoreAsync(backend, options, new RestoreOptions { Target = target }, cancellationToken: cancellationToken);
    }

    private static GnuPGOptions Gpg(GpgTestKeys keys) => new() { BinaryPath = ExternalTool.Require("gpg"), HomeDirectory = keys.Home };

    [Test]
    public async Task PublicKeySignedBackupThroughGpgRestoresInProcessAndWithDuplicity()
    {
        using var keys = new GpgTestKeys();
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 1_500_000);
        var url = "file://" + tmp.Sub("remote");
        // No keyring object: gpg finds the recipients and the signing key in its own home.
        var encryption = EncryptionOptions.PublicKey(null, GpgTestKeys.RsaNoPass)
            .WithHiddenRecipients(null, GpgTestKeys.EdNoPass)
            .WithSignKey(null, GpgTestKeys.EdNoPass, new FixedPassphraseSource(""));
        await BackupAsync(src, url, Options(tmp, Gpg(keys), encryption));
        Assert.That(Directory.GetFiles(tmp.Sub("remote"), "*.difftar.gpg"), Has.Length.GreaterThanOrEqualTo(2));

        // gpg really wrote it: one named and one hidden (zero key id) recipient, a signature inside.
        var volume = Directory.GetFiles(tmp.Sub("remote"), "*.vol1.difftar.gpg").Single();
        var packets = await keys.GpgAsync("--list-packets", "--passphrase", "", volume);
        Assert.That(packets.StandardOutput, Does.Contain("keyid 0000000000000000"));
        Assert.That(packets.StandardOutput, Does.Contain(":onepass_sig packet: keyid " + GpgTestKeys.EdNoPass[^16..]));

        var ring = await OpenPgpKeyring.LoadGnuPGHomeAsync(keys.Home);
        await RestoreAsync(url, tmp.Sub("ours"), Options(tmp, null, decryption: new DecryptionOptions { Keyring = ring, ExpectedSignKey = GpgTestKeys.EdNoPass }));
        Assert.That(TreeSnapshot.Describe(tmp.Sub("ours")), Is.EqualTo(TreeSnapshot.Describe(src)));

        var env = new Dictionary<string, string?> { ["PASSPHRASE"] = "", ["GNUPGHOME"] = keys.Home };
        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("dc"), env, "restore", "--sign-key", GpgTestKeys.EdNoPass[^8..], url, tmp.Sub("dup"))).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("dup")), Is.EqualTo(TreeSnapshot.Describe(src)));
    }

    [Test]
    public async Task DuplicitysSignedPublicKeyArchiveRestoresThroughGpgAndTheSignerIsChecked()
    {
        using var keys = new GpgTestKeys();
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 300_000);
        var url = "file://" + tmp.Sub("remote");
        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("d"), new Dictionary<string, string?> { ["PASSPHRASE"] = GpgTestKeys.Passphrase, ["SIGN_PASSPHRASE"] = "", ["GNUPGHOME"] = keys.Home },
            "full", "--volsize", "1", "--encrypt-key", GpgTestKeys.RsaPass, "--sign-key", GpgTestKeys.EdNoPass, src, url)).EnsureSuccess();

        // The secret key is passphrase-protected: the passphrase reaches gpg on its stdin (loopback pinentry).
        var decryption = new DecryptionOptions { PassphraseSource = new FixedPassphraseSource(GpgTestKeys.Passphrase), ExpectedSignKey = GpgTestKeys.EdNoPass };
        await RestoreAsync(url, tmp.Sub("out"), Options(tmp, Gpg(keys), decryption: decryption));
        Assert.That(TreeSnapshot.Describe(tmp.Sub("out")), Is.EqualTo(TreeSnapshot.Describe(src)));

        var e = Assert.ThrowsAsync<DuplicityException>(() => RestoreAsync(url, tmp.Sub("wrong-signer"), Options(tmp, Gpg(keys), decryption: decryption with { ExpectedSignKey = GpgTestKeys.RsaNoPass })));
        Assert.That(e!.Code, Is.EqualTo(DuplicityErrorCode.UnsignedVolume));

        var bad = Assert.ThrowsAsync<WrongPassphraseException>(() => RestoreAsync(url, tmp.Sub("bad-key-pass"),
            Options(tmp, Gpg(keys), decryption: new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("not-it") })));
        Assert.That(bad!.Code, Is.EqualTo(DuplicityErrorCode.GpgFailed));
        Assert.That(bad.Message, Does.Not.Contain("not-it"));

        // A GnuPG home without the secret key: the same typed error the in-process engine raises.
        var empty = PrivateDirectory(tmp.Sub("empty-home"));
        var missing = Assert.ThrowsAsync<DuplicityException>(() => RestoreAsync(url, tmp.Sub("no-key"),
            Options(tmp, Gpg(keys) with { HomeDirectory = empty }, decryption: new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("") })));
        Assert.That(missing!.Code, Is.EqualTo(DuplicityErrorCode.GpgFailed));
        Assert.That(missing.Message, Does.Contain("no usable key"));
        var inProcess = Assert.ThrowsAsync<DuplicityException>(() => RestoreAsync(url, tmp.Sub("no-key-ours"),
            Options(tmp, null, decryption: new DecryptionOptions { Keyring = new OpenPgpKeyring(), PassphraseSource = new FixedPassphraseSource("") })));
        Assert.That(inProcess!.Code, Is.EqualTo(missing.Code));
        Assert.That(inProcess.Message, Does.Contain("no usable key"));
        await RunGpgconfKillAsync(empty);
    }

    [Test]
    public async Task SymmetricBackupsCrossBothEnginesAndAWrongPassphraseIsTheSameTypedError()
    {
        using var keys = new GpgTestKeys();
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 300_000);
        var viaGpg = "file://" + tmp.Sub("via-gpg");
        var inProc = "file://" + tmp.Sub("in-process");
        var encryption = EncryptionOptions.Passphrase(new FixedPassphraseSource("right one"));
        await BackupAsync(src, viaGpg, Options(tmp, Gpg(keys), encryption));
        await BackupAsync(src, inProc, Options(tmp, null, encryption));

        var right = new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("right one") };
        await RestoreAsync(viaGpg, tmp.Sub("a"), Options(tmp, null, decryption: right));
        await RestoreAsync(inProc, tmp.Sub("b"), Options(tmp, Gpg(keys), decryption: right));
        Assert.That(TreeSnapshot.Describe(tmp.Sub("a")), Is.EqualTo(TreeSnapshot.Describe(src)));
        Assert.That(TreeSnapshot.Describe(tmp.Sub("b")), Is.EqualTo(TreeSnapshot.Describe(src)));
        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("dc"), new Dictionary<string, string?> { ["PASSPHRASE"] = "right one", ["GNUPGHOME"] = keys.Home },
            "restore", viaGpg, tmp.Sub("dup"))).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("dup")), Is.EqualTo(TreeSnapshot.Describe(src)));

        var wrong = new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("hunter2-wrong") };
        var viaBinary = Assert.ThrowsAsync<WrongPassphraseException>(() => RestoreAsync(inProc, tmp.Sub("w1"), Options(tmp, Gpg(keys), decryption: wrong)));
        var ours = Assert.ThrowsAsync<WrongPassphraseException>(() => RestoreAsync(viaGpg, tmp.Sub("w2"), Options(tmp, null, decryption: wrong)));
        Assert.That(viaBinary!.Message, Is.EqualTo(ours!.Message));
        Assert.That(viaBinary.Message, Does.Not.Contain("hunter2"));
        Assert.That(Directory.Exists(tmp.Sub("w1")) ? Directory.GetFileSystemEntries(tmp.Sub("w1")) : [], Is.Empty, "nothing restored");
    }

    [Test]
    public async Task ExtraOptionsReachGpgAndTheSecretKeyringIsPassedOnDecrypt()
    {
        using var keys = new GpgTestKeys();
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 300_000);
        // A wrapper that records gpg's arguments, then runs the real gpg.
        var argsLog = tmp.Sub("args.log");
        var wrapper = WriteScript(tmp, "gpg-wrapper",
            $"printf '%s\\n' \"$@\" >> '{argsLog}'\necho \"env:PASSPHRASE=${{PASSPHRASE-unset}}\" >> '{argsLog}'\necho ---- >> '{argsLog}'\nexec '{ExternalTool.Require("gpg")}' \"$@\"\n");
        // The variable duplicity reads the passphrase from is set here, and must not reach gpg's environment.
        var savedPassphrase = Environment.GetEnvironmentVariable("PASSPHRASE");
        Environment.SetEnvironmentVariable("PASSPHRASE", "pass phrase");
        try
        {
            var gnupg = new GnuPGOptions
            {
                BinaryPath = wrapper, HomeDirectory = keys.Home, ExtraArguments = ["--compress-algo", "none"],
                SecretKeyring = tmp.Sub("secring.gpg"),
            };
            var url = "file://" + tmp.Sub("remote");
            await BackupAsync(src, url, Options(tmp, gnupg, EncryptionOptions.Passphrase(new FixedPassphraseSource("pass phrase"))));

            var volume = Directory.GetFiles(tmp.Sub("remote"), "*.vol1.difftar.gpg").Single();
            var packets = await keys.GpgAsync("--list-packets", "--passphrase", "pass phrase", volume);
            packets.EnsureSuccess();
            Assert.That(packets.StandardOutput, Does.Not.Contain(":compressed packet:"), "--compress-algo none reached gpg");
            var control = tmp.Sub("control");
            await BackupAsync(src, "file://" + control, Options(tmp, Gpg(keys), EncryptionOptions.Passphrase(new FixedPassphraseSource("pass phrase"))));
            var controlPackets = await keys.GpgAsync("--list-packets", "--passphrase", "pass phrase", Directory.GetFiles(control, "*.vol1.difftar.gpg").Single());
            Assert.That(controlPackets.StandardOutput, Does.Contain(":compressed packet:"), "gpg compresses by default");

            await RestoreAsync(url, tmp.Sub("out"), Options(tmp, gnupg, decryption: new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("pass phrase") }));
            Assert.That(TreeSnapshot.Describe(tmp.Sub("out")), Is.EqualTo(TreeSnapshot.Describe(src)));

            var runs = File.ReadAllText(argsLog).Split("----\n", StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
            var decrypts = runs.Where(r => r.Contains("--decrypt")).ToList();
            var encrypts = runs.Where(r => r.Contains("--symmetric")).ToList();
            Assert.That(decrypts, Is.Not.Empty);
            Assert.That(encrypts, Is.Not.Empty);
            foreach (var run in decrypts)
                Assert.That(string.Join(' ', run), Does.Contain("--secret-keyring " + gnupg.SecretKeyring));
            foreach (var run in runs)
            {
                Assert.That(run, Does.Not.Contain("pass phrase"), "the passphrase is never an argument");
                Assert.That(run, Does.Contain("env:PASSPHRASE=unset"), "nor in gpg's environment");
                Assert.That(string.Join(' ', run), Does.Contain("--compress-algo none --status-fd 2 --passphrase-fd 0"));
                Assert.That(run, Does.Contain("--pinentry-mode=loopback").And.Contain("--batch"));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("PASSPHRASE", savedPassphrase);
        }
    }

    [Test]
    public void AFailingGpgIsAnErrorNotAShortVolume()
    {
        using var tmp = new TempFolder();
        // Writes part of a result, then fails, as gpg does when a key turns out unusable mid-way.
        var failing = WriteScript(tmp, "failing-gpg", "cat > /dev/null\nprintf 'partial output'\necho 'gpg: something went wrong' >&2\nexit 2\n");
        var gnupg = new GnuPGOptions { BinaryPath = failing };
        var encryption = EncryptionOptions.Passphrase(new FixedPassphraseSource("p"));

        var write = Assert.ThrowsAsync<DuplicityException>(async () =>
        {
            var encoding = await GnuPGVolumeEncoding.CreateAsync(gnupg, encryption, new DecryptionOptions(), NullLogger.Instance, CancellationToken.None);
            using var output = new MemoryStream();
            var layer = encoding.Wrap(output);
            await layer.WriteAsync(new byte[100_000]);
            await layer.DisposeAsync();
        });
        Assert.That(write!.Code, Is.EqualTo(DuplicityErrorCode.GpgFailed));
        Assert.That(write.Message, Does.Contain("something went wrong"));

        var read = Assert.ThrowsAsync<DuplicityException>(async () =>
        {
            var encoding = await GnuPGVolumeEncoding.CreateAsync(gnupg, null, new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("p") }, NullLogger.Instance, CancellationToken.None);
            await using var plain = await encoding.UnwrapAsync(new MemoryStream(new byte[10_000]));
            await plain.CopyToAsync(Stream.Null);
        });
        Assert.That(read!.Code, Is.EqualTo(DuplicityErrorCode.GpgFailed));

        var missing = Assert.ThrowsAsync<DuplicityException>(async () =>
        {
            var encoding = await GnuPGVolumeEncoding.CreateAsync(gnupg with { BinaryPath = tmp.Sub("no-such-gpg") }, encryption, new DecryptionOptions(), NullLogger.Instance, CancellationToken.None);
            encoding.Wrap(new MemoryStream()).Dispose();
        });
        Assert.That(missing!.Code, Is.EqualTo(DuplicityErrorCode.GpgFailed));
    }

    [Test]
    public async Task AFailingInputOrOutputFileIsReportedAsItselfNotAsGpgFailing()
    {
        using var keys = new GpgTestKeys();
        var gnupg = Gpg(keys);
        var passphrase = new FixedPassphraseSource("p");
        var encoding = await GnuPGVolumeEncoding.CreateAsync(gnupg, EncryptionOptions.Passphrase(passphrase), new DecryptionOptions { PassphraseSource = passphrase },
            NullLogger.Instance, CancellationToken.None);
        var data = new byte[3_000_000];
        new Random(7).NextBytes(data);

        // The output file fails (as on a full disk): the writer sees that error, and does not hang.
        var full = Assert.ThrowsAsync<IOException>(async () =>
        {
            var layer = encoding.Wrap(new FailingStream(afterBytes: 100_000));
            try
            {
                await layer.WriteAsync(data);
            }
            finally
            {
                await layer.DisposeAsync();
            }
        });
        Assert.That(full!.Message, Is.EqualTo("disk full"));

        using var encrypted = new MemoryStream();
        await using (var layer = encoding.Wrap(encrypted)) await layer.WriteAsync(data);
        var stored = encrypted.ToArray();
        await using (var plain = await encoding.UnwrapAsync(new MemoryStream(stored)))
        {
            using var back = new MemoryStream();
            await plain.CopyToAsync(back);
            Assert.That(back.ToArray(), Is.EqualTo(data));
        }

        // The stored file breaks mid-way (a download error): the reader sees that error, not a gpg failure.
        var broken = Assert.ThrowsAsync<IOException>(async () =>
        {
            await using var plain = await encoding.UnwrapAsync(new FailingStream(afterBytes: stored.Length / 2, source: stored));
            await plain.CopyToAsync(Stream.Null);
        });
        Assert.That(broken!.Message, Is.EqualTo("disk full"));
    }

    /// <summary>Takes (or gives, from <c>source</c>) some bytes, then fails every call with an IOException.</summary>
    private sealed class FailingStream(int afterBytes, byte[]? source = null) : Stream
    {
        private int _done;
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_done + count > afterBytes) throw new IOException("disk full");
            _done += count;
        }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_done >= afterBytes) throw new IOException("disk full");
            int n = Math.Min(count, afterBytes - _done);
            source.AsSpan(_done, n).CopyTo(buffer.AsSpan(offset));
            _done += n;
            return n;
        }
        public override bool CanRead => source != null;
        public override bool CanSeek => false;
        public override bool CanWrite => source == null;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Test]
    public async Task CancellingARestoreKillsGpg()
    {
        using var keys = new GpgTestKeys();
        using var tmp = new TempFolder();
        var gnupg = Gpg(keys);
        var encoding = await GnuPGVolumeEncoding.CreateAsync(gnupg, null, new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("p") }, NullLogger.Instance, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        // The stored file never ends: without the kill, gpg would wait for more input forever.
        var plain = await encoding.UnwrapAsync(new StallingInput(), cts.Token);
        var read = plain.ReadAsync(new byte[100], CancellationToken.None).AsTask();
        await Task.Delay(300);
        Assert.That(read.IsCompleted, Is.False);
        await cts.CancelAsync();
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.That(finished, Is.SameAs(read), "gpg was killed and the read ended");
        Assert.That(() => read.GetAwaiter().GetResult(), Throws.InstanceOf<OperationCanceledException>(), "a cancellation, not a short volume");
        await plain.DisposeAsync();
    }

    private sealed class StallingInput : Stream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    internal static string WriteScript(TempFolder tmp, string name, string body)
    {
        var path = tmp.Sub(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>An empty folder only its owner may use (as gpg wants its home).</summary>
    internal static string PrivateDirectory(string path)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    internal static async Task RunGpgconfKillAsync(string home) =>
        await ExternalTool.RunAsync(ExternalTool.Require("gpgconf"), ["--homedir", home, "--kill", "gpg-agent"]);
}
