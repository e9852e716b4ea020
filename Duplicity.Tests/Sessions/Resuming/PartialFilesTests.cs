using Duplicity.Archive.Naming;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions.Resuming;

/// <summary>
/// A resume moves the interrupted run's partial signature file aside (<c>.previous</c>) while it writes the new
/// one; a resume killed in its turn leaves it in the archive dir. Whether the set is then resumed or given up,
/// nothing of it stays behind.
/// </summary>
[Category("Unit")]
public class PartialFilesTests
{
    private const long T0 = ResumeFixture.T0;

    private static async Task InterruptAsync(ResumeFixture f, int atVolume)
    {
        var faulty = new PutFaultBackend(f.Backend, name => name.Contains($".vol{atVolume}.", StringComparison.Ordinal));
        Assert.ThrowsAsync<IOException>(() => f.BackupAsync(T0, faulty));
    }

    private static string SignaturesPart(ResumeFixture f) => Path.Combine(f.ArchiveDir, $"duplicity-full-signatures.{DuplicityTime.Format(T0)}.sigtar.part");

    /// <summary>
    /// What a resume killed while writing leaves: the interrupted run's signatures moved aside, and the new
    /// partial file it had begun (a prefix of the same stream) in their place.
    /// </summary>
    private static void LeaveKilledResume(ResumeFixture f, bool withNewPartial = true)
    {
        var part = SignaturesPart(f);
        var previous = part + ".previous";
        File.Move(part, previous);
        if (!withNewPartial) return;
        // How much the interrupted run had flushed depends on when the failing upload surfaced (uploads run
        // beside the producer), so the new partial is a prefix of whatever is there, not a fixed length.
        var interrupted = File.ReadAllBytes(previous);
        File.WriteAllBytes(part, interrupted.AsSpan(0, Math.Min(1024, interrupted.Length / 2)).ToArray());
    }

    private static string[] Leftovers(ResumeFixture f) =>
        Directory.GetFiles(f.ArchiveDir).Select(Path.GetFileName).OfType<string>()
            .Where(n => n.Contains(".part", StringComparison.Ordinal) || n.Contains(".previous", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();

    [TestCase(true, TestName = "APreviousSignatureFileOfASetGivenUpIsDeleted(beside a new partial)")]
    [TestCase(false, TestName = "APreviousSignatureFileOfASetGivenUpIsDeleted(alone)")]
    public async Task APreviousSignatureFileOfASetGivenUpIsDeleted(bool withNewPartial)
    {
        using var f = new ResumeFixture();
        await InterruptAsync(f, atVolume: 2);
        LeaveKilledResume(f, withNewPartial);
        // Volume 1 stored short: the set keeps no volume and is deleted before anything is resumed.
        var first = f.Stored(".vol1.").Single();
        f.Backend.SetContent(first.Key, first.Value.AsSpan(0, first.Value.Length / 2));

        var result = await f.BackupAsync(T0 + 10);

        Assert.That(result.ResumedAfterVolume, Is.Null);
        Assert.That(Leftovers(f), Is.Empty);
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task APreviousSignatureFileOfASetWhoseSourceChangedIsDeleted()
    {
        using var f = new ResumeFixture();
        await InterruptAsync(f, atVolume: 3);
        LeaveKilledResume(f);
        // Rewritten since the interruption (a later time than its last checkpoint), in a kept volume: the set is given up.
        var changed = Path.Combine(f.Source, "file00.bin");
        File.WriteAllBytes(changed, new byte[150_000]);
        File.SetLastWriteTimeUtc(changed, DateTime.UtcNow.AddHours(1));

        var result = await f.BackupAsync(T0 + 10);

        Assert.That(result.ResumedAfterVolume, Is.Null, "file00 was stored in volume 1");
        Assert.That(result.Time, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(T0 + 10)));
        Assert.That(Leftovers(f), Is.Empty);
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [TestCase(true, TestName = "AResumeKilledInItsTurnIsResumedAndLeavesNothingBehind(with its new partial)")]
    [TestCase(false, TestName = "AResumeKilledInItsTurnIsResumedAndLeavesNothingBehind(killed before its new partial)")]
    public async Task AResumeKilledInItsTurnIsResumedAndLeavesNothingBehind(bool withNewPartial)
    {
        using var f = new ResumeFixture();
        await InterruptAsync(f, atVolume: 3);
        LeaveKilledResume(f, withNewPartial);

        var result = await f.BackupAsync(T0 + 10);

        Assert.That(result.ResumedAfterVolume, Is.EqualTo(2));
        Assert.That(result.Time, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(T0)));
        Assert.That(Leftovers(f), Is.Empty);
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }
}
