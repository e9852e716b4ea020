using Duplicity.Archive.Naming;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions.Resuming;

/// <summary>An interrupted full or incremental set is resumed by the next run: same time, stored volumes kept, restore identical.</summary>
[Category("Unit")]
public class ResumeTests
{
    private const long T0 = ResumeFixture.T0;

    [Test]
    public async Task FullBackupStoppedAtTheThirdVolumeResumesWithItsTimeAndKeepsTheStoredVolumes()
    {
        using var f = new ResumeFixture();
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains(".vol3.", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => f.BackupAsync(T0, faulty));
        string setTime = DuplicityTime.Format(T0);
        var kept = f.Stored(".vol");
        Assert.That(kept.Keys, Has.Count.EqualTo(2), "volumes 1 and 2 were stored");
        Assert.That(f.ArchiveDirPartials(), Is.EquivalentTo(new[] { $"duplicity-full.{setTime}.manifest.part", $"duplicity-full-signatures.{setTime}.sigtar.part" }));

        var putsBefore = f.Backend.PutCount;
        var resumed = await f.BackupAsync(T0 + 3600);

        Assert.That(resumed.IsFull, Is.True);
        Assert.That(resumed.Time, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(T0)), "the set keeps its original time");
        Assert.That(resumed.ResumedAfterVolume, Is.EqualTo(2), "volume 2 was whole, so it is kept");
        foreach (var (name, bytes) in kept) Assert.That(f.Backend.Snapshot()[name], Is.EqualTo(bytes), $"{name} is not written again");
        Assert.That(f.Backend.PutCount - putsBefore, Is.EqualTo(resumed.VolumeCount - 2 + 2), "only the new volumes, the signatures and the manifest are stored");
        Assert.That(f.Backend.Snapshot().Keys.Where(n => n.Contains("manifest", StringComparison.Ordinal)), Has.Exactly(1).Items);
        Assert.That(f.ArchiveDirPartials(), Is.Empty);
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task IncrementalStoppedMidwayResumesAsTheSameIncremental()
    {
        using var f = new ResumeFixture();
        await f.BackupAsync(T0);
        f.Change(1);
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains(".vol3.", StringComparison.Ordinal) && name.Contains("-inc.", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => f.BackupAsync(T0 + 60, faulty));

        var resumed = await f.BackupAsync(T0 + 120, mode: BackupMode.Full);

        Assert.That(resumed.IsFull, Is.False, "the partial incremental is resumed whatever mode was asked, as duplicity does");
        Assert.That(resumed.Time, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(T0 + 60)));
        Assert.That(resumed.PreviousTime, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(T0)));
        Assert.That(resumed.ResumedAfterVolume, Is.EqualTo(2));
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));

        // The chain goes on from the resumed set.
        f.Change(2);
        var next = await f.BackupAsync(T0 + 180);
        Assert.That(next.IsFull, Is.False);
        Assert.That(next.PreviousTime, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(T0 + 60)));
        Assert.That(await f.RestoreAsync("r2"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task ASetStoppedAtItsManifestKeepsEveryVolumeAndAddsNone()
    {
        using var f = new ResumeFixture();
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains(".manifest", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => f.BackupAsync(T0, faulty));
        var volumes = f.Stored(".vol");

        var resumed = await f.BackupAsync(T0 + 10);

        Assert.That(resumed.ResumedAfterVolume, Is.EqualTo(volumes.Count), "every volume was whole");
        Assert.That(resumed.VolumeCount, Is.EqualTo(volumes.Count), "and no empty volume is added after them");
        Assert.That(f.Stored(".vol"), Is.EquivalentTo(volumes));
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task ALastVolumeStoredShortIsWrittenAgain()
    {
        using var f = new ResumeFixture();
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains(".vol4.", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => f.BackupAsync(T0, faulty));
        var third = f.Stored(".vol3.").Single();
        f.Backend.SetContent(third.Key, third.Value.AsSpan(0, third.Value.Length / 2));

        var resumed = await f.BackupAsync(T0 + 10);

        Assert.That(resumed.ResumedAfterVolume, Is.EqualTo(2), "the short volume 3 fails its hash check");
        Assert.That(f.Backend.Snapshot()[third.Key], Is.EqualTo(third.Value), "volume 3 is written again whole, with the same entries");
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task ASetThatKeptNoVolumeStartsAgainFromTheBeginning()
    {
        using var f = new ResumeFixture();
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains(".vol2.", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => f.BackupAsync(T0, faulty));
        var first = f.Stored(".vol1.").Single();
        f.Backend.SetContent(first.Key, first.Value.AsSpan(0, first.Value.Length / 2));

        var result = await f.BackupAsync(T0 + 10);

        Assert.That(result.ResumedAfterVolume, Is.Null);
        Assert.That(result.Time, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(T0 + 10)), "a new set at this run's time");
        Assert.That(f.Backend.Snapshot().Keys.Where(n => n.Contains(DuplicityTime.Format(T0), StringComparison.Ordinal)), Is.Empty, "the partial set is deleted");
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task ResumeRefusesAnotherSourceFolder()
    {
        using var f = new ResumeFixture();
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains(".vol3.", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => f.BackupAsync(T0, faulty));
        var other = Directory.CreateDirectory(f.Sub("other")).FullName;

        var e = Assert.ThrowsAsync<DuplicityException>(() => Support.Sessions.BackupAsync(f.Backend, f.Repository(T0 + 10), new BackupOptions { Source = other, VolumeSize = ResumeFixture.VolumeSize, Hostname = "host" }));

        Assert.That(e!.Code, Is.EqualTo(DuplicityErrorCode.SourceDirMismatch));
    }
}
