using Duplicity.Backends;
using Duplicity.Backends.Retry;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Support;
using Duplicity.Tests.Support.Faults;

namespace Duplicity.Tests.Faults;

/// <summary>
/// EIO on the backend folder, injected at the stream level (<see cref="InputOutputErrorBackend"/>: this
/// machine has no FUSE or device-mapper to fail a disk for real) under duplicity's retries: many small
/// multi-volume backups and restores, each completing identical or failing with a DuplicityException, never
/// leaving a half-written file; at the end every backup that reported success restores identical.
/// </summary>
[Category("Fault")]
public class InputOutputErrorTests
{
    private const int Rounds = 200, Seed = 505;
    private const double Rate = 0.3;

    [Test]
    public async Task BackupsAndRestoresUnderEioCompleteIdenticalOrFailTyped()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("source");
        Directory.CreateDirectory(source);
        TestTree.CreateEveryKind(source, bigFileBytes: 250_000);
        var faulty = new InputOutputErrorBackend(new FileBackend(tmp.Sub("backend")), Seed, Rate);
        await using var backend = new RetryingBackend(faulty, new RetryOptions
        {
            NumRetries = 3, BackendRetryDelay = TimeSpan.Zero, ExponentialBackoff = false, JitterRatio = 0,
        });
        TestContext.Progress.WriteLine($"EIO seed {Seed}");
        bool sourceBackedUp = false; // whether a backup that reported success holds the source as it is now
        var failures = new List<string>();
        for (int round = 0; round < Rounds; round++)
        {
            long time = 1_700_000_000 + round * 100;
            if (round % 10 == 5)
            {
                TreeMutator.Mutate(source, round); // new data now and then, so the chain grows
                sourceBackedUp = false;
            }
            try
            {
                await Support.Sessions.BackupAsync(backend, Repository(tmp.Sub("cache"), time), new BackupOptions
                {
                    Source = source, Mode = round % 10 == 0 ? BackupMode.Full : BackupMode.Auto, VolumeSize = 64 * 1024,
                    AllowSourceMismatch = true,
                });
                sourceBackedUp = true;
                await RestoreOrFailTypedAsync(backend, source, tmp.Sub($"restore-{round}"), tmp.Sub($"restore-cache-{round}"), failures);
            }
            catch (DuplicityException e)
            {
                failures.Add($"backup: {e.GetType().Name}");
            }
        }
        faulty.Enabled = false;
        TestContext.Progress.WriteLine($"EIO: typed failures in {Rounds} rounds: " +
            string.Join(", ", failures.GroupBy(f => f).Select(g => $"{g.Count()} {g.Key}")));
        var target = tmp.Sub("restore-clean");
        await Support.Sessions.RestoreAsync(backend, Repository(tmp.Sub("restore-cache-clean"), 1_800_000_000),
            new RestoreOptions { Target = target });
        if (sourceBackedUp && TreeDifference.Between(source, target) is { } difference)
        {
            FaultTally.CountLost();
            Assert.Fail($"the last backup reported success but restores different (seed {Seed}): {difference}");
        }
    }

    private static async Task RestoreOrFailTypedAsync(IBackend backend, string source, string target, string cache, List<string> failures)
    {
        try
        {
            await Support.Sessions.RestoreAsync(backend, Repository(cache, 1_800_000_000), new RestoreOptions { Target = target });
        }
        catch (DuplicityException e)
        {
            failures.Add($"restore: {e.GetType().Name}");
            Assert.That(HalfWrittenFiles.In(source, target), Is.Empty, $"half-written files after {e.Message}");
            return;
        }
        if (TreeDifference.Between(source, target) is { } difference)
        {
            FaultTally.CountLost();
            Assert.Fail($"a backup that reported success restored different (seed {Seed}): {difference}");
        }
    }

    private static RepositoryOptions Repository(string archive, long time) =>
        new() { ArchiveDirectory = archive, Name = "eio", TimeProvider = new FixedClock(time) };
}
