using Duplicity.Backends;
using Duplicity.Backends.Retry;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Backends.Retry;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions;

/// <summary>
/// A restore whose volume downloads break mid-way: within the attempts it completes identical; past them it
/// fails with duplicity's code 50 and leaves no file of the backup under its final name in the target.
/// </summary>
[Category("Unit")]
public class RestoreOverBrokenDownloadsTests
{
    private static readonly RetryOptions ThreeAttempts = new() { NumRetries = 3, BackendRetryDelay = TimeSpan.Zero, JitterRatio = 0 };

    private static async Task<(TempFolder Tmp, InMemoryBackend Stored, RepositoryOptions Repository, byte[] Data)> BackUpAsync()
    {
        var tmp = new TempFolder();
        var source = Directory.CreateDirectory(tmp.Sub("src")).FullName;
        var data = new byte[600_000];
        new Random(12).NextBytes(data);
        File.WriteAllBytes(Path.Combine(source, "big.bin"), data);
        var stored = new InMemoryBackend();
        var repository = new RepositoryOptions { ArchiveDirectory = tmp.Sub("cache"), Name = "x" };
        await Support.Sessions.BackupAsync(stored, repository, new BackupOptions { Source = source, Mode = BackupMode.Full });
        return (tmp, stored, repository, data);
    }

    [Test]
    public async Task ARestoreWhoseVolumeDownloadBreaksTwiceCompletesIdentical()
    {
        var (tmp, stored, repository, data) = await BackUpAsync();
        using var _ = tmp;
        var breaking = new BreakingDownloadBackend(stored, 100_000, 150_000);
        await using var backend = new RetryingBackend(breaking, ThreeAttempts);

        await Support.Sessions.RestoreAsync(backend, repository, new RestoreOptions { Target = tmp.Sub("restored") });

        Assert.That(File.ReadAllBytes(Path.Combine(tmp.Sub("restored"), "big.bin")), Is.EqualTo(data));
        Assert.That(breaking.Offsets.Skip(1), Is.All.GreaterThan(0L), "the volume was continued, not fetched again from its start");
    }

    [Test]
    public async Task ARestoreWhoseDownloadsKeepBreakingFailsWithCode50AndNoFinalFile()
    {
        var (tmp, stored, repository, _) = await BackUpAsync();
        using var _ = tmp;
        var breaking = new BreakingDownloadBackend(stored, Enumerable.Repeat(50_000L, 20).ToArray());
        await using var backend = new RetryingBackend(breaking, ThreeAttempts);

        var error = Assert.ThrowsAsync<BackendException>(() =>
            Support.Sessions.RestoreAsync(backend, repository, new RestoreOptions { Target = tmp.Sub("restored") }));

        Assert.That(error!.Code, Is.EqualTo(DuplicityErrorCode.BackendGaveUp));
        Assert.That(error.Message, Does.StartWith("Giving up after 3 attempts."));
        Assert.That(File.Exists(Path.Combine(tmp.Sub("restored"), "big.bin")), Is.False, "no partial file under the final name");
        var left = Directory.Exists(tmp.Sub("restored")) ? Directory.EnumerateFiles(tmp.Sub("restored"), "*", SearchOption.AllDirectories).ToList() : [];
        Assert.That(left, Is.Empty, "no partial file under any name");
    }
}
