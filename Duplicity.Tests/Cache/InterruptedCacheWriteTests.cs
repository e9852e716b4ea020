using Duplicity.Backends;
using Duplicity.IO;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Backends.Retry;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Cache;

/// <summary>
/// The archive dir never holds a half-written manifest or signature file under its name: a cache sync whose
/// download breaks leaves nothing, and what a killed write left behind is removed by the next run.
/// </summary>
[Category("Unit")]
public class InterruptedCacheWriteTests
{
    [Test]
    public async Task ACacheSyncWhoseDownloadBreaksLeavesNoFileInTheArchiveDir()
    {
        using var tmp = new TempFolder();
        var source = Directory.CreateDirectory(tmp.Sub("src")).FullName;
        File.WriteAllBytes(Path.Combine(source, "f"), new byte[50_000]);
        var stored = new InMemoryBackend();
        await Support.Sessions.BackupAsync(stored, new RepositoryOptions { ArchiveDirectory = tmp.Sub("first"), Name = "x" },
            new BackupOptions { Source = source, Mode = BackupMode.Full });
        var breaking = new BreakingDownloadBackend(stored, Enumerable.Repeat(20L, 10).ToArray());

        await using (var repository = await BackupRepository.OpenAsync(breaking, new RepositoryOptions { ArchiveDirectory = tmp.Sub("second"), Name = "x" }))
            Assert.CatchAsync<IOException>(() => repository.SynchronizeAsync());

        Assert.That(Directory.EnumerateFiles(Path.Combine(tmp.Sub("second"), "x")), Is.Empty);
    }

    [Test]
    public async Task WhatAKilledWriteLeftIsRemovedWhenTheArchiveDirIsOpened()
    {
        using var tmp = new TempFolder();
        var folder = Directory.CreateDirectory(Path.Combine(tmp.Sub("cache"), "x")).FullName;
        var leftover = DurableFile.TemporaryPathFor(Path.Combine(folder, "duplicity-full.20260101T000000Z.manifest"));
        File.WriteAllText(leftover, "half a manifest");
        var notOurs = Path.Combine(folder, ".notes.tmp");
        File.WriteAllText(notOurs, "kept");

        await using (await BackupRepository.OpenAsync(new InMemoryBackend(), new RepositoryOptions { ArchiveDirectory = tmp.Sub("cache"), Name = "x" }))
        {
        }

        Assert.That(File.Exists(leftover), Is.False);
        Assert.That(File.Exists(notOurs), Is.True);
    }
}
