using Duplicity.Backends;
using Duplicity.Diagnostics;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions;

/// <summary>
/// <see cref="RestoreOptions.IgnoreErrors"/> (duplicity's <c>--ignore-errors</c>): a volume whose hash does not
/// match is left out and the restore goes on; what was wholly in good volumes is restored exactly, and a file
/// that had part of its data in the left-out volume is not written at all.
/// </summary>
[Category("Unit")]
public class IgnoreErrorsRestoreTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// With 256 KiB volumes (each closed once less than 64 KiB of room is left, as duplicity's are), volume 1
    /// holds a.bin and b.bin's first chunk, and the c files lie in volume 2 that b.bin runs into and d.bin runs
    /// out of (e.txt is in a later one): that one is made bad.
    /// </summary>
    private static void CreateTree(string source) => BadVolumeTree.Create(source, aBytes: 150_000, bBytes: 100_000, cBytes: 10_000, dBytes: 400_000);

    private static RepositoryOptions Repo(TempFolder tmp, string cache, DateTimeOffset time) =>
        new() { ArchiveDirectory = tmp.Sub(cache), Name = "x", TimeProvider = new FixedClock(time.ToUnixTimeSeconds()) };

    /// <summary>The full backup's volume whose manifest range holds <paramref name="path"/>.</summary>
    private static string VolumeHolding(InMemoryBackend backend, string path)
    {
        var files = backend.Snapshot();
        var number = BadVolumeTree.VolumeHolding(files.Single(f => f.Key.StartsWith("duplicity-full.", StringComparison.Ordinal) && f.Key.EndsWith(".manifest", StringComparison.Ordinal)).Value, path);
        return files.Keys.Single(k => k.StartsWith("duplicity-full.", StringComparison.Ordinal) && k.Contains($".vol{number}.", StringComparison.Ordinal));
    }

    private static void Tamper(InMemoryBackend backend, string name)
    {
        var bytes = (byte[])backend.Snapshot()[name].Clone();
        bytes[bytes.Length / 2] ^= 0x5A;
        backend.SetContent(name, bytes);
    }

    [Test]
    public async Task ABadVolumeIsSkippedAndOnlyWholeFilesAreRestored()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        CreateTree(source);
        var backend = new InMemoryBackend();
        await Support.Sessions.BackupAsync(backend, Repo(tmp, "cache", T0), new BackupOptions { Source = source, VolumeSize = 256 * 1024 });
        var bad = VolumeHolding(backend, "c3.txt");
        Tamper(backend, bad);

        var failing = Assert.ThrowsAsync<HashMismatchException>(() => Support.Sessions.RestoreAsync(backend, Repo(tmp, "c1", T0),
            new RestoreOptions { Target = tmp.Sub("strict") }));
        Assert.That(failing!.Code, Is.EqualTo(DuplicityErrorCode.MismatchedHash));

        var log = new RecordingLoggerFactory();
        var result = await Support.Sessions.RestoreAsync(backend, Repo(tmp, "c2", T0),
            new RestoreOptions { Target = tmp.Sub("lenient"), IgnoreErrors = true }, log);

        Assert.That(result.SkippedVolumes, Is.EqualTo(new[] { bad }));
        Assert.That(result.IncompleteFiles, Is.EqualTo(new[] { "b.bin", "d.bin" }));
        var restored = Directory.GetFiles(tmp.Sub("lenient")).Select(Path.GetFileName).Order().ToArray();
        Assert.That(restored, Is.EqualTo(new[] { "a.bin", "e.txt" }), "the c files were wholly in the bad volume, b and d partly");
        foreach (var name in restored)
            Assert.That(File.ReadAllBytes(Path.Combine(tmp.Sub("lenient"), name!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(source, name!))), name);

        int skippedAt = log.EventIds.ToList().IndexOf(DuplicityEventIds.RestoreVolumeSkipped);
        Assert.That(skippedAt, Is.GreaterThanOrEqualTo(0));
        Assert.That(log.States[skippedAt]["Volume"], Is.EqualTo(bad));
        Assert.That(log.EventIds.Count(id => id == DuplicityEventIds.RestoreFileIncomplete), Is.EqualTo(2));
        Assert.That(Directory.GetFiles(tmp.Sub("lenient"), "*", SearchOption.AllDirectories), Has.Length.EqualTo(2), "no temporary file is left");
    }

    [Test]
    public async Task ADeltaOnAFileCutByABadVolumeIsNotApplied()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        CreateTree(source);
        var backend = new InMemoryBackend();
        await Support.Sessions.BackupAsync(backend, Repo(tmp, "cache", T0), new BackupOptions { Source = source, VolumeSize = 256 * 1024 });
        foreach (var name in new[] { "a.bin", "d.bin" })
        {
            using (var f = new FileStream(Path.Combine(source, name), FileMode.Open)) { f.Position = 1000; f.Write("changed"u8); }
            File.SetLastWriteTimeUtc(Path.Combine(source, name), T0.UtcDateTime.AddMinutes(5));
        }
        await Support.Sessions.BackupAsync(backend, Repo(tmp, "cache", T0.AddHours(1)), new BackupOptions { Source = source, VolumeSize = 256 * 1024 });
        Tamper(backend, VolumeHolding(backend, "c3.txt"));

        var result = await Support.Sessions.RestoreAsync(backend, Repo(tmp, "c2", T0.AddHours(1)),
            new RestoreOptions { Target = tmp.Sub("lenient"), IgnoreErrors = true });

        Assert.That(result.IncompleteFiles, Is.EqualTo(new[] { "b.bin", "d.bin" }), "d.bin's delta has a partial basis");
        Assert.That(File.ReadAllBytes(Path.Combine(tmp.Sub("lenient"), "a.bin")), Is.EqualTo(File.ReadAllBytes(Path.Combine(source, "a.bin"))), "a delta on a whole basis is applied");
        Assert.That(File.Exists(Path.Combine(tmp.Sub("lenient"), "d.bin")), Is.False);
    }

    [Test]
    public async Task WithoutBadVolumesIgnoringErrorsChangesNothing()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        CreateTree(source);
        var backend = new InMemoryBackend();
        await Support.Sessions.BackupAsync(backend, Repo(tmp, "cache", T0), new BackupOptions { Source = source, VolumeSize = 256 * 1024 });
        var result = await Support.Sessions.RestoreAsync(backend, Repo(tmp, "c2", T0), new RestoreOptions { Target = tmp.Sub("r"), IgnoreErrors = true });
        Assert.That(result.SkippedVolumes, Is.Empty);
        Assert.That(result.IncompleteFiles, Is.Empty);
        Assert.That(TreeSnapshot.Describe(tmp.Sub("r")), Is.EqualTo(TreeSnapshot.Describe(source)));
    }
}
