using Duplicity.Repository;
using Duplicity.Backends;
using Duplicity.Crypto;
using Duplicity.Sessions;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions;

/// <summary>replicate: our replicas restore with duplicity and name the same files as duplicity's own replicate.</summary>
[Category("Interop")]
[NonParallelizable]
public class ReplicateInteropTests
{
    private const long T0 = 1_700_000_000;

    private static async Task<ReplicateResult> ReplicateAsync(string from, string to, EncryptionOptions? encryption = null, long? time = null)
    {
        var registry = new BackendRegistry().AddFileSystem();
        await using var source = registry.Open(from);
        await using var target = registry.Open(to);
        await using var repository = await BackupRepository.OpenAsync(source, new RepositoryOptions { ArchiveDirectory = Path.Combine(Path.GetDirectoryName(new Uri(to).LocalPath.TrimEnd('/'))!, "replicate-archive") });
        return await new ReplicateSession(repository, target,
            new ReplicateOptions { Encryption = encryption, Time = time is { } t ? DateTimeOffset.FromUnixTimeSeconds(t) : null }).RunAsync();
    }

    /// <summary>A duplicity chain of a full and two incrementals, one hour apart; returns the source states.</summary>
    private static async Task<List<IReadOnlyList<string>>> DuplicityChainAsync(TempFolder tmp, string url)
    {
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 200_000);
        var states = new List<IReadOnlyList<string>>();
        for (int step = 0; step <= 2; step++)
        {
            if (step > 0) TreeMutator.Mutate(src, step);
            states.Add(TreeSnapshot.Describe(src));
            (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), step == 0 ? "full" : "incremental", "--no-encryption", "--volsize", "1",
                "--current-time", (T0 + step * 3600).ToString(), src, url)).EnsureSuccess();
        }
        return states;
    }

    private static string[] Names(string folder) => Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Test]
    public async Task OurReplicaOfDuplicitysChainMatchesTheirsAndRestoresWithDuplicity()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var url = "file://" + tmp.Sub("remote");
        var states = await DuplicityChainAsync(tmp, url);

        var result = await ReplicateAsync(url, "file://" + tmp.Sub("ours"));
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache2"), "replicate", "--no-encryption", url, "file://" + tmp.Sub("theirs"))).EnsureSuccess();
        Assert.That(Names(tmp.Sub("ours")), Is.EqualTo(Names(tmp.Sub("theirs"))));
        Assert.That(result.FilesWritten, Has.Count.EqualTo(Names(tmp.Sub("ours")).Length));
        // Manifests hold only Volume blocks, as duplicity's replicate writes them.
        foreach (var m in Directory.GetFiles(tmp.Sub("ours"), "*.manifest.gz"))
        {
            using var gz = new System.IO.Compression.GZipStream(File.OpenRead(m), System.IO.Compression.CompressionMode.Decompress);
            var text = new StreamReader(gz).ReadToEnd();
            Assert.That(text, Does.StartWith("Volume 1:\n"));
            Assert.That(text, Does.Not.Contain("Hostname").And.Not.Contain("Filelist").And.Not.Contain("Localdir"));
        }

        for (int step = 0; step <= 2; step += 2)
        {
            var target = tmp.Sub($"restore-{step}");
            (await DuplicityCli.RunAsync(tmp.Sub("dupcache3"), "restore", "--no-encryption", "--time", (T0 + step * 3600).ToString(), "file://" + tmp.Sub("ours"), target)).EnsureSuccess();
            Assert.That(TreeSnapshot.Describe(target), Is.EqualTo(states[step]), $"state after step {step}");
        }

        // A second run finds everything there; --time before the incrementals copies nothing new either.
        var again = await ReplicateAsync(url, "file://" + tmp.Sub("ours"));
        Assert.That(again.FilesWritten, Is.Empty);
        Assert.That(again.AlreadyReplicated, Is.EqualTo(6));
        var partial = await ReplicateAsync(url, "file://" + tmp.Sub("partial"), time: T0 + 1);
        Assert.That(partial.FilesWritten, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task PlainToPassphraseReplicaRestoresWithDuplicity()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var url = "file://" + tmp.Sub("remote");
        var states = await DuplicityChainAsync(tmp, url);
        var encrypted = "file://" + tmp.Sub("enc");
        await ReplicateAsync(url, encrypted, EncryptionOptions.Passphrase(new FixedPassphraseSource("rep pass")));
        Assert.That(Names(tmp.Sub("enc")), Has.All.EndWith(".gpg"));

        var env = new Dictionary<string, string?> { ["PASSPHRASE"] = "rep pass" };
        var target = tmp.Sub("restore");
        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("dupcache3"), env, "restore", encrypted, target)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(target), Is.EqualTo(states[2]));

        // And back: duplicity's replicate of our encrypted replica to plain names the same files as the original.
        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("dupcache4"), env, "replicate", "--no-encryption", encrypted, "file://" + tmp.Sub("back"))).EnsureSuccess();
        var ours = "file://" + tmp.Sub("ours-back");
        var registry = new BackendRegistry().AddFileSystem();
        await using (var source = registry.Open(encrypted))
        await using (var back = registry.Open(ours))
        await using (var repository = await BackupRepository.OpenAsync(source, new RepositoryOptions
        { ArchiveDirectory = tmp.Sub("ours-archive"), Decryption = new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("rep pass") } }))
            await new ReplicateSession(repository, back).RunAsync();
        Assert.That(Names(tmp.Sub("ours-back")), Is.EqualTo(Names(tmp.Sub("back"))));
    }
}
