using Duplicity.Repository;
using System.Diagnostics;
using System.Text;
using Duplicity.Backends;
using Duplicity.Files;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions;

/// <summary>
/// Files swapped for a FIFO or a symlink after the walk examined them (the race made deterministic by
/// the backup's pre-open hook): the backup finishes at once with a warning and an error counted, and
/// the archive restores without them.
/// </summary>
[TestFixture]
[Category("Fault")]
public class SourceSwapDuringBackupTests
{
    [Test]
    public async Task SwappedFilesAreSkippedWithAWarningAndTheRestIsRestored()
    {
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        Directory.CreateDirectory(src);
        File.WriteAllText(Path.Combine(src, "a-kept.txt"), "kept");
        File.WriteAllText(Path.Combine(src, "b-to-fifo.txt"), "was a file");
        File.WriteAllText(Path.Combine(src, "c-to-symlink.txt"), "was a file");
        File.WriteAllText(Path.Combine(src, "d-kept.txt"), "kept too");
        var secret = tmp.Sub("secret.txt");
        File.WriteAllText(secret, "must never be archived");

        var backend = new InMemoryBackend();
        var logs = new RecordingLoggerFactory();
        var swapped = new List<string>();
        // If a FIFO were ever opened blocking, this writer would unblock it after a while (and tell).
        using var watchdogStop = new CancellationTokenSource();
        bool watchdogFired = false;
        Task watchdog = Task.CompletedTask;
        var clock = Stopwatch.StartNew();
        var result = await Support.Sessions.BackupAsync(backend, new RepositoryOptions
        {
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "swap",
            TempDirectory = tmp.Path,
        }, new BackupOptions
        {
            Source = src,
            BeforeSourceFileOpen = entry =>
            {
                var path = Encoding.UTF8.GetString(entry.FullPath);
                switch (Path.GetFileName(path))
                {
                    case "b-to-fifo.txt":
                        File.Delete(path);
                        Posix.Mkfifo(entry.FullPath, 0x1A4);
                        swapped.Add(path);
                        watchdog = Task.Run(async () =>
                        {
                            await Task.Delay(TimeSpan.FromSeconds(20), watchdogStop.Token);
                            watchdogFired = true;
                            using var writer = new FileStream(path, FileMode.Open, FileAccess.Write);
                        });
                        break;
                    case "c-to-symlink.txt":
                        File.Delete(path);
                        File.CreateSymbolicLink(path, secret);
                        swapped.Add(path);
                        break;
                }
            },
        }, loggerFactory: logs);
        clock.Stop();
        watchdogStop.Cancel();
        try { await watchdog; } catch (OperationCanceledException) { }

        Assert.That(swapped, Has.Count.EqualTo(2), "both swaps happened after the walk's lstat");
        Assert.That(watchdogFired, Is.False, "the backup waited on the FIFO");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "bounded time");
        Assert.That(result.Statistics.Errors, Is.EqualTo(2));
        Assert.That(logs.Warnings.Count(w => w.Contains("b-to-fifo.txt") && w.Contains("FIFO")), Is.EqualTo(1), string.Join("\n", logs.Warnings));
        Assert.That(logs.Warnings.Count(w => w.Contains("c-to-symlink.txt") && w.Contains("symlink")), Is.EqualTo(1), string.Join("\n", logs.Warnings));

        var target = tmp.Sub("restored");
        await Support.Sessions.RestoreAsync(backend, new RepositoryOptions
        {
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "swap-restore",
            TempDirectory = tmp.Path,
        }, new RestoreOptions
        {
            Target = target,
        });
        Assert.That(Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "a-kept.txt", "d-kept.txt" }));
        Assert.That(File.ReadAllText(Path.Combine(target, "d-kept.txt")), Is.EqualTo("kept too"));
        Assert.That(Directory.EnumerateDirectories(tmp.Path, "duplicity-net-*"), Is.Empty, "temp folders removed");
    }
}
