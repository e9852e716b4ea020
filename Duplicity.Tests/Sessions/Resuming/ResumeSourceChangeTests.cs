using Duplicity.Archive.Naming;
using Duplicity.Backends;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions.Resuming;

/// <summary>
/// A set resumes only while the source still holds what its kept volumes store: a file changed,
/// removed or added before the resume position since the interruption would leave a set that stores
/// one content and signs another. Such a set is deleted and the run makes a new one.
/// </summary>
[Category("Unit")]
public class ResumeSourceChangeTests
{
    private const long T0 = ResumeFixture.T0;

    // Twenty 30 kB incompressible files in 256 KiB volumes: volumes 1 and 2 hold the first ten or so whole.
    private static ResumeFixture NewFixture() => new(files: 20, fileBytes: 30_000);

    private static Task<BackupResult> BackupAsync(ResumeFixture f, long time, IBackend? through = null, BackupMode mode = BackupMode.Auto) =>
        Support.Sessions.BackupAsync(through ?? f.Backend, f.Repository(time),
            new BackupOptions { Source = f.Source, Mode = mode, VolumeSize = 256 * 1024, Hostname = "host" });

    private static async Task InterruptAtVolume3Async(ResumeFixture f, BackupMode mode = BackupMode.Auto)
    {
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains(".vol3.", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => BackupAsync(f, T0, faulty, mode));
        Assert.That(f.Stored(".vol").Keys.Count(n => n.Contains("full", StringComparison.Ordinal)), Is.EqualTo(2), "volumes 1 and 2 were stored");
        var manifest = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(Directory.GetFiles(f.ArchiveDir, "*.manifest.part").Single()));
        var end = System.Text.RegularExpressions.Regex.Matches(manifest, @"EndingPath\s+file(\d\d)\.bin")[^1].Groups[1].Value;
        Assert.That(int.Parse(end, System.Globalization.CultureInfo.InvariantCulture), Is.InRange(3, 18), "volume 2 ends after file02 and before file19");
    }

    [Test]
    public async Task AnUnchangedSourceResumes()
    {
        using var f = NewFixture();
        await InterruptAtVolume3Async(f);

        var next = await BackupAsync(f, T0 + 60);

        Assert.That(next.ResumedAfterVolume, Is.EqualTo(2));
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task AFileRewrittenWithItsOldTimeBeforeThePositionMakesANewSet()
    {
        using var f = NewFixture();
        await InterruptAtVolume3Async(f);
        var file = Path.Combine(f.Source, "file02.bin");
        var time = File.GetLastWriteTimeUtc(file);
        var bytes = File.ReadAllBytes(file);
        bytes.AsSpan(0, 4096).Fill(0x5A);
        File.WriteAllBytes(file, bytes);
        File.SetLastWriteTimeUtc(file, time); // only the signature's bytes can tell

        var next = await BackupAsync(f, T0 + 60);

        Assert.That(next.ResumedAfterVolume, Is.Null, "the kept volumes store file02's old content");
        Assert.That(next.IsFull, Is.True);
        Assert.That(f.Stored(".manifest"), Has.Count.EqualTo(1));
        Assert.That(f.Stored("full.").Keys.Where(n => n.Contains(".vol", StringComparison.Ordinal)).Select(n => n.Split('.')[1]).Distinct().Count(),
            Is.EqualTo(1), "the given-up set's volumes are gone");
        Assert.That(f.ArchiveDirPartials(), Is.Empty);
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task AFileRemovedBeforeThePositionMakesANewSet()
    {
        using var f = NewFixture();
        await InterruptAtVolume3Async(f);
        File.Delete(Path.Combine(f.Source, "file01.bin"));

        var next = await BackupAsync(f, T0 + 60);

        Assert.That(next.ResumedAfterVolume, Is.Null);
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task AFileCutAtThePositionAndRemovedMakesANewSet()
    {
        // 150 kB files in 64 KiB volumes: volume 2 ends inside file00, so the kept volumes hold its first blocks.
        using var f = new ResumeFixture();
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains(".vol3.", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => f.BackupAsync(T0, faulty));
        var manifest = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(Directory.GetFiles(f.ArchiveDir, "*.manifest.part").Single()));
        Assert.That(manifest, Does.Match(@"Volume 2:\s+StartingPath\s+file00\.bin 1\s+EndingPath\s+file00\.bin 1"), "volume 2 holds a middle block of file00");
        var rootTime = Directory.GetLastWriteTimeUtc(f.Source);
        File.Delete(Path.Combine(f.Source, "file00.bin"));
        Directory.SetLastWriteTimeUtc(f.Source, rootTime); // only file00's absence can tell

        var next = await f.BackupAsync(T0 + 60);

        Assert.That(next.ResumedAfterVolume, Is.Null, "resumed, the set would hold file00's first blocks and never its end");
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task VolumesTheGivenUpResumeStoredAreDeletedWithTheSet()
    {
        // A 2 MB file cut at the position is signed, and so found changed, only once read to its end: by then
        // the resume has stored the volumes holding its rest.
        using var f = new ResumeFixture(files: 1, fileBytes: 2_000_000);
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains(".vol3.", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => f.BackupAsync(T0, faulty));
        // Its end rewritten since the interruption, which never got to sign it: its time tells.
        var file = Path.Combine(f.Source, "file00.bin");
        var bytes = File.ReadAllBytes(file);
        bytes.AsSpan(bytes.Length - 4096).Fill(0x5A);
        File.WriteAllBytes(file, bytes);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(1));
        string oldSet = $"duplicity-full.{DuplicityTime.Format(T0)}.vol";
        var stored = new List<string>();
        var recording = new PutFaultBackend(f.Backend, name => { stored.Add(name); return false; });

        var next = await f.BackupAsync(T0 + 60, recording);

        Assert.That(stored.Count(n => n.StartsWith(oldSet, StringComparison.Ordinal)), Is.GreaterThan(5), "the resume stored volumes before it gave the set up");
        Assert.That(next.ResumedAfterVolume, Is.Null);
        Assert.That(f.Backend.Snapshot().Keys.Where(n => n.StartsWith(oldSet, StringComparison.Ordinal)), Is.Empty, "every volume of the given-up set is deleted");
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task AFileAddedBeforeThePositionMakesANewSet()
    {
        using var f = NewFixture();
        await InterruptAtVolume3Async(f);
        File.WriteAllText(Path.Combine(f.Source, "file01a.txt"), "new between two stored files");

        var next = await BackupAsync(f, T0 + 60);

        Assert.That(next.ResumedAfterVolume, Is.Null);
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task AChangeAfterThePositionStillResumes()
    {
        using var f = NewFixture();
        await InterruptAtVolume3Async(f);
        File.WriteAllText(Path.Combine(f.Source, "file19.bin"), "rewritten after the position");

        var next = await BackupAsync(f, T0 + 60);

        Assert.That(next.ResumedAfterVolume, Is.EqualTo(2));
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task AnIncrementalAskedForOverAChangedPartialFullMakesAFull()
    {
        using var f = NewFixture();
        await InterruptAtVolume3Async(f, BackupMode.Full);
        File.Delete(Path.Combine(f.Source, "file00.bin"));

        var next = await BackupAsync(f, T0 + 60, mode: BackupMode.Incremental);

        Assert.That(next.IsFull, Is.True, "the partial set was a full: the new one is too, whatever mode was asked");
        Assert.That(next.ResumedAfterVolume, Is.Null);
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }
}
