using Duplicity.Repository;
using Duplicity.Backends;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Interop;

/// <summary>Incremental chains: ours restore with duplicity at every time and the reverse; each tool continues the other's chain.</summary>
[Category("Interop")]
[NonParallelizable]
public class IncrementalInteropTests
{
    private const long T0 = 1_700_000_000;

    private static async Task<BackupResult> OurBackupAsync(TempFolder tmp, string source, string url, long time, BackupMode mode = BackupMode.Auto)
    {
        await using var backend = new BackendRegistry().AddFileSystem().Open(url);
        return await Support.Sessions.BackupAsync(backend, new RepositoryOptions
        {
            TimeProvider = new FixedClock(time),
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "ours",
        }, new BackupOptions
        {
            Source = source,
            Mode = mode,
            VolumeSize = 256 * 1024,
        });
    }

    private static async Task OurRestoreAsync(TempFolder tmp, string url, string target, long? time)
    {
        await using var backend = new BackendRegistry().AddFileSystem().Open(url);
        await Support.Sessions.RestoreAsync(backend, new RepositoryOptions
        {
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "ours-restore",
        }, new RestoreOptions
        {
            Target = target,
            Time = time is { } t ? DateTimeOffset.FromUnixTimeSeconds(t) : null,
        });
    }

    [Test]
    public async Task OurChainOfTenIncrementalsRestoresWithDuplicityAtEveryTime()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 400_000);
        var url = "file://" + tmp.Sub("remote");
        var states = new List<IReadOnlyList<string>>();
        for (int step = 0; step <= 10; step++)
        {
            if (step > 0) TreeMutator.Mutate(src, step);
            states.Add(TreeSnapshot.Describe(src));
            var result = await OurBackupAsync(tmp, src, url, T0 + step * 3600);
            Assert.That(result.IsFull, Is.EqualTo(step == 0));
        }
        for (int step = 0; step <= 10; step++)
        {
            var target = tmp.Sub($"dup-restore-{step}");
            (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), "restore", "--no-encryption", "--time", (T0 + step * 3600).ToString(), url, target)).EnsureSuccess();
            Assert.That(TreeSnapshot.Describe(target), Is.EqualTo(states[step]), $"state after step {step}");
        }
        // Our own restore of the newest state, and of one in the middle.
        await OurRestoreAsync(tmp, url, tmp.Sub("ours-10"), null);
        Assert.That(TreeSnapshot.Describe(tmp.Sub("ours-10")), Is.EqualTo(states[10]));
        await OurRestoreAsync(tmp, url, tmp.Sub("ours-4"), T0 + 4 * 3600 + 5);
        Assert.That(TreeSnapshot.Describe(tmp.Sub("ours-4")), Is.EqualTo(states[4]));
    }

    [Test]
    public async Task DuplicityChainRestoresWithUsAtEveryTime()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 400_000);
        var url = "file://" + tmp.Sub("remote");
        var states = new List<IReadOnlyList<string>>();
        for (int step = 0; step <= 10; step++)
        {
            if (step > 0) TreeMutator.Mutate(src, step);
            states.Add(TreeSnapshot.Describe(src));
            (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), step == 0 ? "full" : "incremental", "--no-encryption", "--volsize", "1",
                "--current-time", (T0 + step * 3600).ToString(), src, url)).EnsureSuccess();
        }
        for (int step = 0; step <= 10; step++)
        {
            var target = tmp.Sub($"ours-{step}");
            await OurRestoreAsync(tmp, url, target, T0 + step * 3600);
            Assert.That(TreeSnapshot.Describe(target), Is.EqualTo(states[step]), $"state after step {step}");
        }
    }

    [Test]
    public async Task DuplicityContinuesOurChainAndWeContinueDuplicitys()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 400_000);
        var url = "file://" + tmp.Sub("remote");

        await OurBackupAsync(tmp, src, url, T0);
        TreeMutator.Mutate(src, 1);
        await OurBackupAsync(tmp, src, url, T0 + 3600);
        TreeMutator.Mutate(src, 2);
        // duplicity reads our signatures to continue the chain (a full would fail the check below).
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), "incremental", "--no-encryption", "--current-time", (T0 + 7200).ToString(), src, url)).EnsureSuccess();
        Assert.That(Directory.GetFiles(tmp.Sub("remote"), "duplicity-full.*.manifest"), Has.Length.EqualTo(1));
        var afterDuplicity = TreeSnapshot.Describe(src);
        TreeMutator.Mutate(src, 3);
        var result = await OurBackupAsync(tmp, src, url, T0 + 10800, BackupMode.Incremental);
        Assert.That(result.PreviousTime, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(T0 + 7200)), "we continue from duplicity's incremental");
        var latest = TreeSnapshot.Describe(src);

        (await DuplicityCli.RunAsync(tmp.Sub("dupcache2"), "restore", "--no-encryption", url, tmp.Sub("dup-latest"))).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("dup-latest")), Is.EqualTo(latest));
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache2"), "restore", "--no-encryption", "--time", (T0 + 7200).ToString(), url, tmp.Sub("dup-mid"))).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("dup-mid")), Is.EqualTo(afterDuplicity));
        await OurRestoreAsync(tmp, url, tmp.Sub("ours-latest"), null);
        Assert.That(TreeSnapshot.Describe(tmp.Sub("ours-latest")), Is.EqualTo(latest));
    }

    [Test]
    public async Task DuplicityWorksInOurArchiveDirBesideItsSeekIndexes()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 400_000);
        // Megabytes of tar that compress into one small volume: seek points begin after its first deflate block.
        var filler = Directory.CreateDirectory(Path.Combine(src, "m-filler")).FullName;
        for (int i = 0; i < 60; i++) File.WriteAllText(Path.Combine(filler, $"f{i:D2}"), string.Concat(Enumerable.Repeat($"line {i} of the filler\n", 2_000)));
        var url = "file://" + tmp.Sub("remote");
        await OurBackupAsync(tmp, src, url, T0);
        var seekFolder = Path.Combine(tmp.Sub("cache"), "ours", "seek-index");
        Assert.That(Directory.GetFiles(seekFolder), Has.Length.EqualTo(1), "our full left its seek index");

        // duplicity syncs, lists and continues the chain in the same archive dir and name, leaving the folder be.
        TreeMutator.Mutate(src, 1);
        (await DuplicityCli.RunAsync(tmp.Sub("cache"), "incremental", "--name", "ours", "--no-encryption", "--current-time", (T0 + 3600).ToString(), src, url)).EnsureSuccess();
        var status = (await DuplicityCli.RunAsync(tmp.Sub("cache"), "collection-status", "--name", "ours", "--no-encryption", url)).EnsureSuccess();
        Assert.That(status.StandardOutput, Does.Contain("Found primary backup chain"));
        Assert.That(Directory.GetFiles(seekFolder), Has.Length.EqualTo(1), "duplicity's incremental has no index of ours");

        var wanted = Directory.EnumerateFiles(src, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Last();
        var relative = Path.GetRelativePath(src, wanted);
        var target = tmp.Sub("one");
        await using (var backend = new BackendRegistry().AddFileSystem().Open(url))
            await Support.Sessions.RestoreAsync(backend, new RepositoryOptions { ArchiveDirectory = tmp.Sub("cache"), Name = "ours" },
                new RestoreOptions { Target = target, Path = relative });
        Assert.That(File.ReadAllBytes(target), Is.EqualTo(File.ReadAllBytes(wanted)));
    }
}
