using Duplicity.Backends;
using Duplicity.Collections;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Duplicity.Tests.Scenarios;

/// <summary>
/// The SDK used as a host application uses it: a repository on <see cref="InMemoryBackend"/>, the
/// operations against it, and a fake clock that moves the way a week of scheduled runs would.
/// </summary>
[Category("Unit")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "SetUp creates and TearDown disposes them per test.")]
public sealed class HostScenarioTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);

    private TempFolder _tmp = null!;
    private InMemoryBackend _backend = null!;
    private FakeTimeProvider _clock = null!;
    private string _source = null!;

    [SetUp]
    public void SetUp()
    {
        _tmp = new TempFolder();
        _backend = new InMemoryBackend();
        _clock = new FakeTimeProvider(Monday);
        _source = Directory.CreateDirectory(_tmp.Sub("src")).FullName;
        Write("a.txt", "alpha", Monday.AddDays(-3));
        Write("docs/b.txt", "bravo", Monday.AddDays(-3));
    }

    [TearDown]
    public async Task TearDown()
    {
        _tmp.Dispose();
        await _backend.DisposeAsync();
    }

    private RepositoryOptions Options => new() { ArchiveDirectory = _tmp.Sub("archive"), Name = "host", TimeProvider = _clock };

    private Task<BackupRepository> OpenAsync() => BackupRepository.OpenAsync(_backend, Options);

    // Change detection works in whole mtime seconds, so every write gets its own explicit time.
    private void Write(string relative, string text, DateTimeOffset mtime)
    {
        var path = Path.Combine(_source, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, mtime.UtcDateTime);
    }

    private async Task<BackupResult> BackupAsync(BackupMode mode = BackupMode.Auto, List<BackupEvent>? events = null)
    {
        await using var repository = await OpenAsync();
        return await new BackupSession(repository, new BackupOptions { Source = _source, Mode = mode })
            .RunAsync(events == null ? null : new Collecting(events));
    }

    // Not Progress<T>: that one posts to the thread pool, and the test wants the events in order.
    private sealed class Collecting(List<BackupEvent> events) : IProgress<BackupEvent>
    {
        public void Report(BackupEvent value) => events.Add(value);
    }

    private async Task<string> RestoreAsync(DateTimeOffset? time)
    {
        var target = _tmp.Sub("restore-" + Guid.NewGuid().ToString("N"));
        await using var repository = await OpenAsync();
        await new RestoreSession(repository, new RestoreOptions { Target = target, Time = time }).RunAsync();
        return target;
    }

    [Test]
    public async Task AWeekOfBackupsRestoresEachDayAsItWas()
    {
        var full = await BackupAsync();
        Assert.That(full.IsFull, Is.True, "the first automatic run is a full backup");
        Assert.That(full.Time, Is.EqualTo(Monday), "times come from the host's clock");

        _clock.Advance(TimeSpan.FromDays(1));
        Write("a.txt", "alpha, Tuesday", Monday.AddHours(12));
        var events = new List<BackupEvent>();
        var tuesday = await BackupAsync(events: events);
        Assert.That(events.OfType<BackupEntryChanged>(), Is.EqualTo(new[] { new BackupEntryChanged("a.txt", BackupEntryChange.Modified) }));
        Assert.That(events.OfType<BackupVolumeStored>().Select(v => v.Number), Is.EqualTo(new[] { 1 }));
        Assert.That(events.OfType<BackupProgressed>().Last().Progress.FilesProcessed, Is.EqualTo(4), "root, a.txt, docs, docs/b.txt");
        Assert.That(tuesday.IsFull, Is.False);
        Assert.That(tuesday.PreviousTime, Is.EqualTo(Monday));
        Assert.That(tuesday.Statistics.ChangedFiles, Is.EqualTo(1));

        _clock.Advance(TimeSpan.FromDays(1));
        var docsTime = Directory.GetLastWriteTimeUtc(Path.Combine(_source, "docs"));
        File.Delete(Path.Combine(_source, "docs/b.txt"));
        Directory.SetLastWriteTimeUtc(Path.Combine(_source, "docs"), docsTime);   // only the deletion counts
        events.Clear();
        var wednesday = await BackupAsync(events: events);
        Assert.That(wednesday.Statistics.DeletedFiles, Is.EqualTo(1));
        Assert.That(events.OfType<BackupEntryChanged>(), Is.EqualTo(new[] { new BackupEntryChanged("docs/b.txt", BackupEntryChange.Deleted) }),
            string.Join(", ", events.OfType<BackupEntryChanged>()));

        Assert.That(File.ReadAllText(Path.Combine(await RestoreAsync(Monday.AddHours(5)), "a.txt")), Is.EqualTo("alpha"));
        var asOfTuesday = await RestoreAsync(Monday.AddDays(1).AddHours(5));
        Assert.That(File.ReadAllText(Path.Combine(asOfTuesday, "a.txt")), Is.EqualTo("alpha, Tuesday"));
        Assert.That(File.Exists(Path.Combine(asOfTuesday, "docs/b.txt")), Is.True);
        var now = await RestoreAsync(null);
        Assert.That(File.Exists(Path.Combine(now, "docs/b.txt")), Is.False, "restoring 'now' shows Wednesday's deletion");

        await using var repository = await OpenAsync();
        var status = await repository.GetStatusAsync();
        Assert.That(status.Chains, Has.Count.EqualTo(1));
        Assert.That(status.Chains[0].Sets.Select(s => s.EndTime), Is.EqualTo(new[] { Monday, Monday.AddDays(1), Monday.AddDays(2) }));
        Assert.That(status.LastFullBackupTime, Is.EqualTo(Monday));
        Assert.That(status.Warnings, Is.Empty);

        var listed = new List<string>();
        await foreach (var entry in new ListSession(repository, new ListOptions { Time = Monday.AddHours(1) }).ListAsync())
            listed.Add(entry.Path.ToString());
        Assert.That(listed, Is.EqualTo(new[] { ".", "a.txt", "docs", "docs/b.txt" }));
    }

    [Test]
    public async Task VerifyReportsEachDifferenceAsARecord()
    {
        await BackupAsync();
        var rootTime = Directory.GetLastWriteTimeUtc(_source);
        Write("a.txt", "ALPHA", Monday.AddDays(-3));                 // same size class, same mtime: only the data differs
        File.SetUnixFileMode(Path.Combine(_source, "docs"), (UnixFileMode)0x1C0);
        File.Delete(Path.Combine(_source, "docs/b.txt"));
        Write("new.txt", "new", Monday);
        // Adding new.txt touches the root; put its mtime back so a change crossing a second is not a difference.
        Directory.SetLastWriteTimeUtc(_source, rootTime);

        await using var repository = await OpenAsync();
        var result = await new VerifySession(repository, new VerifyOptions { LocalPath = _source, CompareData = true }).RunAsync();

        Assert.That(result.Differences, Is.EqualTo(new[]
        {
            new VerifyDifference("a.txt", VerifyDifferenceKind.Data),
            new VerifyDifference("docs", VerifyDifferenceKind.Permissions, Expected: result.Differences[1].Expected, Found: result.Differences[1].Found),
            new VerifyDifference("docs/b.txt", VerifyDifferenceKind.Missing),
            new VerifyDifference("new.txt", VerifyDifferenceKind.NewFile),
        }));
        Assert.That(result.Differences[1].Found, Does.EndWith(" 700"));
        Assert.That(result.Differences[1].Expected, Does.Not.EndWith(" 700"));
        Assert.That(result.FilesCompared, Is.EqualTo(5));
    }

    [Test]
    public async Task RetentionPlansFromTheStatusAndAppliesOnTheRepository()
    {
        await BackupAsync();
        _clock.Advance(TimeSpan.FromDays(7));
        await BackupAsync(BackupMode.Full);
        var oldFiles = _backend.Snapshot().Keys.Where(n => n.Contains(DuplicityName(Monday), StringComparison.Ordinal)).ToList();
        Assert.That(oldFiles, Is.Not.Empty);

        await using var repository = await OpenAsync();
        var plan = RetentionPolicy.RemoveOlderThan(Monday.AddDays(3)).Plan(await repository.GetStatusAsync());
        Assert.That(plan.CutoffTime, Is.EqualTo(Monday.AddDays(3)));
        Assert.That(plan.Chains.Select(c => c.EndTime), Is.EqualTo(new[] { Monday }));

        var deleted = await plan.ApplyAsync(repository);
        Assert.That(deleted, Is.SupersetOf(oldFiles));
        Assert.That(_backend.Snapshot().Keys.Where(n => n.Contains(DuplicityName(Monday), StringComparison.Ordinal)), Is.Empty);
        var after = await repository.GetStatusAsync();
        Assert.That(after.Chains.Select(c => c.StartTime), Is.EqualTo(new[] { Monday.AddDays(7) }));
    }

    [Test]
    public async Task AnIncompleteSetIsATypedWarningThatCleanupRemoves()
    {
        await BackupAsync();
        _clock.Advance(TimeSpan.FromHours(1));
        Write("a.txt", "changed", Monday.AddHours(1));
        await BackupAsync();
        // An interrupted run: the incremental's manifest never reached the backend.
        var manifest = _backend.Snapshot().Keys.Single(n => n.Contains(".to.", StringComparison.Ordinal) && n.Contains("manifest", StringComparison.Ordinal));
        await _backend.DeleteAsync([manifest]);

        await using var repository = await OpenAsync();
        var status = await repository.GetStatusAsync();
        var warning = status.Warnings.Single(w => w.Kind == RepositoryWarningKind.IncompleteSets);
        Assert.That(warning.Sets.Single().EndTime, Is.EqualTo(Monday.AddHours(1)));

        var deleted = await repository.DeleteExtraneousFilesAsync(status);
        Assert.That(deleted, Is.Not.Empty);
        Assert.That((await repository.GetStatusAsync()).Warnings.Select(w => w.Kind), Does.Not.Contain(RepositoryWarningKind.IncompleteSets));
    }

    [Test]
    public async Task ASecondOperationOnALockedRepositoryIsRefusedUntilTheFirstEnds()
    {
        var first = await OpenAsync();
        var refused = Assert.ThrowsAsync<RepositoryLockedException>(() => BackupAsync());
        Assert.That(refused!.Code, Is.EqualTo(DuplicityErrorCode.UserError));
        Assert.That(_backend.ListCount, Is.Zero, "a locked repository does not touch the backend");
        await first.DisposeAsync();

        var result = await BackupAsync();
        Assert.That(result.IsFull, Is.True);
    }

    [Test]
    public async Task AHostResolvesTheRepositoryFromItsContainer()
    {
        var remote = Directory.CreateDirectory(_tmp.Sub("remote")).FullName;
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_clock)
            .AddDuplicityRepository("file://" + remote, o => o.ArchiveDirectory = _tmp.Sub("di-archive"));
        await using var provider = services.BuildServiceProvider();

        var factory = provider.GetRequiredService<BackupRepositoryFactory>();
        BackupResult result;
        await using (var repository = await factory.OpenAsync())
        {
            Assert.That(repository.ArchiveDirectory, Is.EqualTo(Path.Combine(_tmp.Sub("di-archive"), RepositoryOptions.DefaultNameFor("file://" + remote))),
                "named as duplicity names it: the MD5 of the URL");
            result = await new BackupSession(repository, new BackupOptions { Source = _source }).RunAsync();
        }
        Assert.That(result.Time, Is.EqualTo(Monday), "the container's clock reached the repository");
        Assert.That(Directory.GetFiles(remote).Select(Path.GetFileName), Has.Some.EndsWith(".manifest"));
    }

    private static string DuplicityName(DateTimeOffset time) => Duplicity.Archive.Naming.DuplicityTime.Format(time);
}
