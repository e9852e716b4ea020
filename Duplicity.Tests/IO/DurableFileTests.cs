using Duplicity.IO;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.IO;

[Category("Unit")]
public class DurableFileTests
{
    [Test]
    public async Task TheFinalNameAppearsOnlyWhenTheContentIsComplete()
    {
        using var tmp = new TempFolder();
        var final = tmp.Sub("duplicity-full.20260101T000000Z.manifest");
        await DurableFile.WriteAsync(final, async (stream, token) =>
        {
            await stream.WriteAsync(new byte[1000], token);
            await stream.FlushAsync(token);
            // Half way: a reader looking for the file finds nothing under its name.
            Assert.That(File.Exists(final), Is.False);
            await stream.WriteAsync(new byte[] { 7 }, token);
        }, CancellationToken.None);

        Assert.That(File.ReadAllBytes(final), Has.Length.EqualTo(1001));
        Assert.That(Directory.GetFiles(tmp.Path), Is.EqualTo(new[] { final }), "the temporary file is gone");
    }

    [Test]
    public void AFailureMidWriteLeavesThePreviousFileAndNoTemporary()
    {
        using var tmp = new TempFolder();
        var final = tmp.Sub("sigs.gz");
        File.WriteAllText(final, "old");

        var error = Assert.ThrowsAsync<IOException>(() => DurableFile.WriteAsync(final, async (stream, token) =>
        {
            await stream.WriteAsync(new byte[4096], token);
            throw new IOException("disk gone");
        }, CancellationToken.None));

        Assert.That(error!.Message, Is.EqualTo("disk gone"));
        Assert.That(File.ReadAllText(final), Is.EqualTo("old"));
        Assert.That(Directory.GetFiles(tmp.Path), Is.EqualTo(new[] { final }));
    }

    [Test]
    public void ACancelledWriteCreatesNothing()
    {
        using var tmp = new TempFolder();
        var final = tmp.Sub("m");
        using var cancel = new CancellationTokenSource();

        Assert.CatchAsync<OperationCanceledException>(() => DurableFile.WriteAsync(final, async (stream, token) =>
        {
            await stream.WriteAsync(new byte[10], token);
            await cancel.CancelAsync();
        }, cancel.Token));

        Assert.That(Directory.GetFiles(tmp.Path), Is.Empty);
    }

    [Test]
    public void SyncingAMissingFolderFails()
    {
        // The folder sync is a real call that reports errors, not a silent no-op.
        using var tmp = new TempFolder();
        Assert.Throws<Duplicity.Files.PosixException>(() => DurableFile.SyncFolderOf(Path.Combine(tmp.Sub("missing"), "f")));
    }

    [Test]
    public void TemporaryNamesAreRecognisedAndDuplicityNamesAreNot()
    {
        var temporary = Path.GetFileName(DurableFile.TemporaryPathFor("/x/duplicity-full.20260101T000000Z.manifest"));

        Assert.That(DurableFile.IsTemporaryName(temporary), Is.True);
        Assert.That(DurableFile.IsTemporaryName("duplicity-full.20260101T000000Z.manifest"), Is.False);
        Assert.That(DurableFile.IsTemporaryName("lockfile"), Is.False);
        Assert.That(DurableFile.IsTemporaryName(".notes.tmp"), Is.False);
    }
}
