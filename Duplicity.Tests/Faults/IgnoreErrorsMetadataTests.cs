using Duplicity.Backends;
using Duplicity.Diagnostics;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Support;
using Duplicity.Tests.Support.Faults;

namespace Duplicity.Tests.Faults;

/// <summary>
/// <see cref="RestoreOptions.IgnoreErrors"/> turns a real failure to set an object's owner, permissions or
/// mtime into a warning counted in <see cref="RestoreResult.MetadataErrorsIgnored"/>; without it the restore
/// stops. The failure: a folder the restore keeps (it exists in the target, <see cref="RestoreOptions.Force"/>)
/// is immutable, so each of the three calls on it is refused with EPERM, even for root.
/// </summary>
[Category("Fault")]
public class IgnoreErrorsMetadataTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static RepositoryOptions Repo(TempFolder tmp, string cache) =>
        new() { ArchiveDirectory = tmp.Sub(cache), Name = "x", TimeProvider = new FixedClock(T0.ToUnixTimeSeconds()) };

    [Test]
    public async Task AFailureToSetMetadataIsAWarningCountedAndTheRestoreGoesOn()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        Directory.CreateDirectory(Path.Combine(source, "locked"));
        File.WriteAllText(Path.Combine(source, "a.txt"), "alpha");
        File.WriteAllText(Path.Combine(source, "z.txt"), "zulu");
        File.SetUnixFileMode(Path.Combine(source, "locked"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.SetLastWriteTimeUtc(Path.Combine(source, "locked"), T0.UtcDateTime.AddDays(-3));
        // Another owner than the folder in the target has (the restore skips a chown that changes nothing).
        if (OrdinaryUser.IsRoot) Duplicity.Files.Posix.Lchown(System.Text.Encoding.UTF8.GetBytes(Path.Combine(source, "locked")), 54321, 54321);
        var backend = new InMemoryBackend();
        await Support.Sessions.BackupAsync(backend, Repo(tmp, "cache"), new BackupOptions { Source = source });

        foreach (var (name, ignore) in new[] { ("strict", false), ("lenient", true) })
        {
            var target = tmp.Sub(name);
            await using var locked = await ImmutableFolder.MakeAsync(Path.Combine(target, "locked"));
            var log = new RecordingLoggerFactory();
            var options = new RestoreOptions { Target = target, Force = true, IgnoreErrors = ignore };
            if (!ignore)
            {
                var e = Assert.ThrowsAsync<LocalAccessException>(() => Support.Sessions.RestoreAsync(backend, Repo(tmp, "c-" + name), options, log),
                    "without IgnoreErrors the refused call stops the restore");
                Assert.That(e!.Message, Does.Contain("Operation not permitted"));
                continue;
            }

            var result = await Support.Sessions.RestoreAsync(backend, Repo(tmp, "c-" + name), options, log);

            Assert.That(result.MetadataErrorsIgnored, Is.EqualTo(3), "owner, permissions and mtime of locked, each refused");
            var warnings = log.EventIds.Select((id, i) => (id, i)).Where(e => e.id == DuplicityEventIds.RestoreMetadataErrorIgnored).Select(e => log.States[e.i]).ToList();
            Assert.That(warnings, Has.Count.EqualTo(3));
            Assert.That(warnings.Select(w => w["Path"]?.ToString()), Is.All.EqualTo("locked"));
            Assert.That(warnings.Select(w => w["Error"]?.ToString()), Is.All.Contains("Operation not permitted"));
            Assert.That(File.ReadAllText(Path.Combine(target, "a.txt")), Is.EqualTo("alpha"));
            Assert.That(File.ReadAllText(Path.Combine(target, "z.txt")), Is.EqualTo("zulu"), "the restore went on past the folder");
            Assert.That(Directory.GetLastWriteTimeUtc(Path.Combine(target, "locked")), Is.Not.EqualTo(T0.UtcDateTime.AddDays(-3)), "the refused mtime was really not set");
        }
    }
}
