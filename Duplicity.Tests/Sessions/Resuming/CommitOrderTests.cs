using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions.Resuming;

/// <summary>
/// An incremental stopped at each store of its commit order (a volume, the signatures, the manifest)
/// never wedges the chain: the next automatic run is an incremental again, and restores are identical.
/// </summary>
[Category("Fault")]
public class CommitOrderTests
{
    private const long T0 = ResumeFixture.T0;

    [TestCase(".vol1.", TestName = "StoppedAtTheFirstVolume")]
    [TestCase(".vol2.", TestName = "StoppedAtTheSecondVolume")]
    [TestCase("duplicity-new-signatures.", TestName = "StoppedAtTheSignatures")]
    [TestCase(".manifest", TestName = "StoppedAtTheManifest")]
    public async Task AnIncrementalStoppedAtAStoreIsFollowedByIncrementals(string failingStore)
    {
        using var f = new ResumeFixture();
        await f.BackupAsync(T0);
        f.Change(1);
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains(failingStore, StringComparison.Ordinal) && !name.StartsWith("duplicity-full", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => f.BackupAsync(T0 + 60, faulty));
        Assert.That(faulty.Failed, Is.True);

        var next = await f.BackupAsync(T0 + 120);
        Assert.That(next.IsFull, Is.False, "the next automatic run continues the chain");
        Assert.That(await f.RestoreAsync("r1"), Is.EqualTo(f.DescribeSource()));

        f.Change(2);
        var after = await f.BackupAsync(T0 + 180);
        Assert.That(after.IsFull, Is.False, "and so does the one after it");
        Assert.That(await f.RestoreAsync("r2"), Is.EqualTo(f.DescribeSource()));
        await AssertCleanChainAsync(f, incrementals: 2);
    }

    [Test]
    public async Task SignaturesStoredAheadOfAManifestAreSetAsideWhenTheArchiveDirWasLost()
    {
        using var f = new ResumeFixture();
        await f.BackupAsync(T0);
        f.Change(1);
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains("duplicity-inc.", StringComparison.Ordinal) && name.Contains(".manifest", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => f.BackupAsync(T0 + 60, faulty));
        Directory.Delete(f.ArchiveDir, recursive: true);
        Assert.That(f.Stored("duplicity-new-signatures."), Has.Count.EqualTo(1), "the signatures reached the backend, the manifest did not");

        var next = await f.BackupAsync(T0 + 120);

        Assert.That(next.IsFull, Is.False);
        Assert.That(next.PreviousTime, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(T0)), "built on the last complete set");
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
        await AssertCleanChainAsync(f, incrementals: 1);
    }

    [Test]
    public async Task PartialFilesLeftAfterTheCommitAreReplacedByTheBackendsCopies()
    {
        using var f = new ResumeFixture();
        await f.BackupAsync(T0);
        // A run stopped in step 4: its manifest is on the backend, its archive dir files still partial.
        var manifest = Directory.GetFiles(f.ArchiveDir, "duplicity-full.*.manifest").Single();
        File.Move(manifest, manifest + ".part");
        var signatures = Directory.GetFiles(f.ArchiveDir, "duplicity-full-signatures.*.sigtar.gz").Single();
        File.Move(signatures, signatures[..^".gz".Length] + ".part");

        f.Change(1);
        var next = await f.BackupAsync(T0 + 60);

        Assert.That(next.IsFull, Is.False);
        Assert.That(next.ResumedAfterVolume, Is.Null);
        Assert.That(f.ArchiveDirPartials(), Is.Empty);
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
        await AssertCleanChainAsync(f, incrementals: 1);
    }

    private static async Task AssertCleanChainAsync(ResumeFixture f, int incrementals)
    {
        await using var repository = await Duplicity.Repository.BackupRepository.OpenAsync(f.Backend, f.Repository(T0 + 999));
        var status = await repository.SynchronizeAsync();
        Assert.That(status.PrimaryChain, Is.Not.Null);
        Assert.That(status.Chains, Has.Count.EqualTo(1));
        Assert.That(status.PrimaryChain!.Incrementals, Has.Count.EqualTo(incrementals));
        Assert.That(status.MatchedSignatureChain!.EndTime, Is.EqualTo(status.PrimaryChain.EndTime));
        Assert.That(status.UncommittedSignatureFiles, Is.Empty);
        Assert.That(status.InterruptedSet, Is.Null);
    }
}
