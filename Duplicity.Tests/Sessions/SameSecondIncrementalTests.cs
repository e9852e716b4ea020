using Duplicity.Repository;
using Duplicity.Backends;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions;

/// <summary>
/// An incremental made in the same second as the set before it gets a later time by waiting for the
/// clock, as duplicity does, not by a time in the future: a restore right after sees it.
/// </summary>
[Category("Unit")]
public class SameSecondIncrementalTests
{
    [Test]
    public async Task AnIncrementalInTheFullsSecondIsRestoredRightAway()
    {
        using var tmp = new TempFolder();
        var source = Directory.CreateDirectory(tmp.Sub("src")).FullName;
        var file = Path.Combine(source, "f.txt");
        File.WriteAllText(file, "first version");
        var backend = new InMemoryBackend();
        var cache = new RepositoryOptions { ArchiveDirectory = tmp.Sub("cache"), Name = "x" };

        var full = await Support.Sessions.BackupAsync(backend, cache, new BackupOptions
        {
            Source = source,
            Mode = BackupMode.Full,
        });
        File.WriteAllText(file, "second version, longer");
        // duplicity (and so this format) tells a change by mtime seconds: make it visible within the second.
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-1));
        var incremental = await Support.Sessions.BackupAsync(backend, cache, new BackupOptions
        {
            Source = source,
        });
        Assert.That(incremental.IsFull, Is.False);
        Assert.That(incremental.Time, Is.GreaterThan(full.Time));
        Assert.That(incremental.Time, Is.LessThanOrEqualTo(DateTimeOffset.UtcNow), "the set's time is not in the future");

        await Support.Sessions.RestoreAsync(backend, cache, new RestoreOptions
        {
            Target = tmp.Sub("restored"),
        });
        Assert.That(File.ReadAllText(Path.Combine(tmp.Sub("restored"), "f.txt")), Is.EqualTo("second version, longer"));
    }
}
