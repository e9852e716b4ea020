using Duplicity.Archive.Naming;
using Duplicity.Backends;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Interop;

/// <summary>
/// Resume both ways with the real duplicity: a backup duplicity was killed in is resumed by ours, and
/// one ours was stopped in is resumed by duplicity; both tools restore the result identical to the source.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class ResumeInteropTests
{
    private const string Name = "resume";

    private static readonly Dictionary<string, string?> NoPassphrase = new() { ["PASSPHRASE"] = null };

    /// <summary>Incompressible files: with 1 MiB volumes each makes about one volume.</summary>
    private static string CreateSource(TempFolder tmp, int files)
    {
        var src = Directory.CreateDirectory(tmp.Sub("src")).FullName;
        var random = new Random(3);
        for (int i = 0; i < files; i++)
        {
            var bytes = new byte[900_000 + i * 1000];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(src, $"f{i:D2}.bin"), bytes);
        }
        Directory.CreateDirectory(Path.Combine(src, "sub"));
        File.WriteAllText(Path.Combine(src, "sub", "note.txt"), "a note");
        return src;
    }

    private static int Volumes(string remote) =>
        Directory.Exists(remote) ? Directory.GetFiles(remote, "duplicity-full.*.vol*.difftar.gz").Length : 0;

    private static async Task AssertBothRestoreAsync(TempFolder tmp, string url, string src)
    {
        var expected = TreeSnapshot.Describe(src);
        var byDuplicity = tmp.Sub("restore-dup");
        (await DuplicityCli.RunAsync(tmp.Sub("restore-dup-cache"), "restore", "--no-encryption", url, byDuplicity)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(byDuplicity), Is.EqualTo(expected), "restored by duplicity");

        await using var backend = new BackendRegistry().AddFileSystem().Open(url);
        var byUs = tmp.Sub("restore-ours");
        await Support.Sessions.RestoreAsync(backend, new RepositoryOptions { ArchiveDirectory = tmp.Sub("restore-ours-cache"), Name = "r" }, new RestoreOptions { Target = byUs });
        Assert.That(TreeSnapshot.Describe(byUs), Is.EqualTo(expected), "restored by us");
    }

    [Test]
    public async Task OursResumesAFullBackupDuplicityWasKilledIn()
    {
        var duplicity = ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var src = CreateSource(tmp, files: 10);
        var remote = tmp.Sub("remote");
        var url = "file://" + remote;
        var archive = tmp.Sub("archive");

        var killed = await SignalledProcess.RunAsync(duplicity,
            ["full", "--no-encryption", "--volsize", "1", "--archive-dir", archive, "--name", Name, src, url], NoPassphrase,
            () => Volumes(remote) >= 3, SignalledProcess.SigKill);
        Assert.That(killed.Signalled, Is.True, "duplicity was killed mid-backup\n" + killed.StandardOutput + killed.StandardError);
        var partial = Directory.GetFiles(Path.Combine(archive, Name), "duplicity-full.*.manifest.part").Single();
        Assert.That(DuplicityTime.TryParse(Path.GetFileName(partial).Split('.')[1], out long setTime), Is.True);
        var storedBefore = Directory.GetFiles(remote, "*.vol*").ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

        await using (var backend = new BackendRegistry().AddFileSystem().Open(url))
        {
            var result = await Support.Sessions.BackupAsync(backend, new RepositoryOptions { ArchiveDirectory = archive, Name = Name },
                new BackupOptions { Source = src, VolumeSize = 1024 * 1024 });
            Assert.That(result.IsFull, Is.True);
            Assert.That(result.Time.ToUnixTimeSeconds(), Is.EqualTo(setTime), "the set keeps duplicity's time");
            Assert.That(result.ResumedAfterVolume, Is.GreaterThanOrEqualTo(storedBefore.Count - 1));
            foreach (var number in Enumerable.Range(1, result.ResumedAfterVolume!.Value))
            {
                var name = storedBefore.Keys.Single(n => n.Contains($".vol{number}.", StringComparison.Ordinal));
                Assert.That(File.ReadAllBytes(Path.Combine(remote, name)), Is.EqualTo(storedBefore[name]), $"{name} is kept as duplicity stored it");
            }
        }
        Assert.That(Directory.GetFiles(remote, "duplicity-full.*.manifest*"), Has.Length.EqualTo(1));
        await AssertBothRestoreAsync(tmp, url, src);
        (await DuplicityCli.RunAsync(tmp.Sub("status-cache"), "collection-status", url)).EnsureSuccess();
    }

    [Test]
    public async Task DuplicityResumesAFullBackupOursWasStoppedIn()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var src = CreateSource(tmp, files: 8);
        var remote = tmp.Sub("remote");
        var url = "file://" + remote;
        var archive = tmp.Sub("archive");

        await using (var backend = new BackendRegistry().AddFileSystem().Open(url))
        {
            var faulty = new PutFaultBackend(backend, name => name.Contains(".vol4.", StringComparison.Ordinal));
            Assert.ThrowsAsync<IOException>(() => Support.Sessions.BackupAsync(faulty, new RepositoryOptions { ArchiveDirectory = archive, Name = Name },
                new BackupOptions { Source = src, VolumeSize = 1024 * 1024 }));
        }
        var storedBefore = Directory.GetFiles(remote, "*.vol*").ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        Assert.That(storedBefore, Has.Count.EqualTo(3));

        var resumed = await DuplicityCli.RunWithEnvironmentAsync(archive, NoPassphrase, "--no-encryption", "--volsize", "1", "--name", Name, src, url);
        resumed.EnsureSuccess();
        Assert.That(resumed.StandardOutput, Does.Contain("Last full backup left a partial set, restarting."));
        Assert.That(resumed.StandardOutput, Does.Contain("Restarting after volume 2"));
        var vol1 = storedBefore.Keys.Single(n => n.Contains(".vol1.", StringComparison.Ordinal));
        Assert.That(File.ReadAllBytes(Path.Combine(remote, vol1)), Is.EqualTo(storedBefore[vol1]), "duplicity kept our volume 1");
        Assert.That(Directory.GetFiles(remote, "duplicity-full.*.manifest*"), Has.Length.EqualTo(1));
        await AssertBothRestoreAsync(tmp, url, src);
    }

    [Test]
    public async Task OursResumesAnIncrementalDuplicityWasKilledIn()
    {
        var duplicity = ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var src = CreateSource(tmp, files: 10);
        var remote = tmp.Sub("remote");
        var url = "file://" + remote;
        var archive = tmp.Sub("archive");
        (await DuplicityCli.RunWithEnvironmentAsync(archive, NoPassphrase, "full", "--no-encryption", "--volsize", "1", "--name", Name, src, url)).EnsureSuccess();
        RewriteAll(src);
        int IncrementalVolumes() => Directory.GetFiles(remote, "duplicity-inc.*.vol*").Length;

        var killed = await SignalledProcess.RunAsync(duplicity,
            ["incremental", "--no-encryption", "--volsize", "1", "--archive-dir", archive, "--name", Name, src, url], NoPassphrase,
            () => IncrementalVolumes() >= 3, SignalledProcess.SigKill);
        Assert.That(killed.Signalled, Is.True, "duplicity was killed mid-incremental\n" + killed.StandardOutput + killed.StandardError);
        Assert.That(Directory.GetFiles(Path.Combine(archive, Name), "duplicity-inc.*.manifest.part"), Has.Length.EqualTo(1));

        await using (var backend = new BackendRegistry().AddFileSystem().Open(url))
        {
            var result = await Support.Sessions.BackupAsync(backend, new RepositoryOptions { ArchiveDirectory = archive, Name = Name },
                new BackupOptions { Source = src, VolumeSize = 1024 * 1024 });
            Assert.That(result.IsFull, Is.False);
            Assert.That(result.ResumedAfterVolume, Is.GreaterThanOrEqualTo(1));
        }
        await AssertBothRestoreAsync(tmp, url, src);
    }

    [Test]
    public async Task DuplicityResumesAnIncrementalOursWasStoppedIn()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var src = CreateSource(tmp, files: 8);
        var remote = tmp.Sub("remote");
        var url = "file://" + remote;
        var archive = tmp.Sub("archive");
        var repository = new RepositoryOptions { ArchiveDirectory = archive, Name = Name, TimeProvider = new FixedClock(1_700_000_000) };
        await using (var backend = new BackendRegistry().AddFileSystem().Open(url))
        {
            await Support.Sessions.BackupAsync(backend, repository, new BackupOptions { Source = src, VolumeSize = 1024 * 1024 });
            RewriteAll(src);
            var faulty = new PutFaultBackend(backend, name => name.Contains("duplicity-inc.", StringComparison.Ordinal) && name.Contains(".vol4.", StringComparison.Ordinal));
            Assert.ThrowsAsync<IOException>(() => Support.Sessions.BackupAsync(faulty, new RepositoryOptions { ArchiveDirectory = archive, Name = Name, TimeProvider = new FixedClock(1_700_000_600) },
                new BackupOptions { Source = src, VolumeSize = 1024 * 1024 }));
        }

        var resumed = await DuplicityCli.RunWithEnvironmentAsync(archive, NoPassphrase, "--no-encryption", "--volsize", "1", "--name", Name, src, url);
        resumed.EnsureSuccess();
        Assert.That(resumed.StandardOutput, Does.Contain("Last inc backup left a partial set, restarting."));
        Assert.That(resumed.StandardOutput, Does.Contain("Restarting after volume 2"));
        await AssertBothRestoreAsync(tmp, url, src);
    }

    /// <summary>New content of the same size in every file: an incremental carries about one volume per file.</summary>
    private static void RewriteAll(string src)
    {
        var random = new Random(9);
        foreach (var file in Directory.GetFiles(src, "*.bin"))
        {
            var bytes = File.ReadAllBytes(file);
            random.NextBytes(bytes);
            File.WriteAllBytes(file, bytes);
            // Back, not forward: a resumed set trusts an entry its interrupted run did not sign only when
            // it is not newer than that run's last checkpoint.
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-1));
        }
    }
}
