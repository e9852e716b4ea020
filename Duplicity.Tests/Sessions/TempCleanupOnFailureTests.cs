using Duplicity.Repository;
using Duplicity.Backends;
using Duplicity.Crypto;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions;

/// <summary>A run that is cancelled or fails still removes its private temp folder.</summary>
[TestFixture]
[Category("Fault")]
public class TempCleanupOnFailureTests
{
    private static void WriteSource(string src)
    {
        Directory.CreateDirectory(src);
        var data = new byte[2 << 20];
        new Random(3).NextBytes(data);
        for (int i = 0; i < 4; i++) File.WriteAllBytes(Path.Combine(src, $"f{i}.bin"), data);
    }

    [Test]
    public void ABackupCancelledMidwayRemovesItsTempFolder()
    {
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        WriteSource(src);
        var temp = tmp.Sub("temp");
        Directory.CreateDirectory(temp);
        using var cancel = new CancellationTokenSource();
        bool sawTempFolder = false;
        var progress = new SynchronousProgress(_ =>
        {
            sawTempFolder |= Directory.EnumerateDirectories(temp, "duplicity-net-*").Any();
            cancel.Cancel();
        });

        Assert.CatchAsync<OperationCanceledException>(() => Support.Sessions.BackupAsync(new InMemoryBackend(), new RepositoryOptions
        {
            TempDirectory = temp,
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "c",
        }, new BackupOptions
        {
            Source = src,
            VolumeSize = 256 * 1024,
        }, progress: progress, cancellationToken: cancel.Token));

        Assert.That(sawTempFolder, Is.True, "the run had its temp folder when it was cancelled");
        Assert.That(Directory.EnumerateFileSystemEntries(temp), Is.Empty);
    }

    [Test]
    public async Task ARestoreThatFailsOnAWrongPassphraseRemovesItsTempFolder()
    {
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        WriteSource(src);
        var temp = tmp.Sub("temp");
        Directory.CreateDirectory(temp);
        var backend = new InMemoryBackend();
        await Support.Sessions.BackupAsync(backend, new RepositoryOptions
        {
            Encryption = EncryptionOptions.Passphrase(new FixedPassphraseSource("right")),
            TempDirectory = temp,
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "c",
        }, new BackupOptions
        {
            Source = src,
        });
        Assert.That(Directory.EnumerateFileSystemEntries(temp), Is.Empty, "after a successful backup");

        Assert.CatchAsync<DuplicityException>(() => Support.Sessions.RestoreAsync(backend, new RepositoryOptions
        {
            Decryption = new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("wrong") },
            TempDirectory = temp,
            ArchiveDirectory = tmp.Sub("cache2"),
            Name = "c",
        }, new RestoreOptions
        {
            Target = tmp.Sub("out"),
        }));

        Assert.That(Directory.EnumerateFileSystemEntries(temp), Is.Empty);
    }

    private sealed class SynchronousProgress(Action<BackupEvent> report) : IProgress<BackupEvent>
    {
        public void Report(BackupEvent value) => report(value);
    }
}
