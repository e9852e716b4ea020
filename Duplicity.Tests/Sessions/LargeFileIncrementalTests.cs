using System.IO.Hashing;
using Duplicity.Backends;
using Duplicity.Repository;
using Duplicity.Rsync;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions;

/// <summary>
/// The streaming paths of a file whose signature is too large to keep whole in memory (the scale benchmark
/// runs 6 GiB; this is the CI-sized case): a 1.1 GiB sparse file with random regions, a full, an incremental
/// after a 1 MiB overwrite that stores little more than the change, and a restore of the chain bit for bit.
/// </summary>
[Category("Unit")]
public class LargeFileIncrementalTests
{
    private const long T0 = 1_700_000_000;
    private const long Length = (1L << 30) + (100L << 20) + 12_345;
    private const int MiB = 1 << 20;

    [Test]
    [CancelAfter(300_000)]
    public async Task AnIncrementalOfALargeFileStoresTheChangeAndTheChainRestoresBitForBit()
    {
        int blocks = (int)((Length + SignatureParameters.BlockLengthFor(Length, 2048) - 1) / SignatureParameters.BlockLengthFor(Length, 2048));
        Assert.That(blocks, Is.GreaterThan(Signature.DefaultSpillAfterBlocks), "large enough for its strong sums to spill");

        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        Directory.CreateDirectory(source);
        var file = Path.Combine(source, "large.bin");
        await using (var stream = new FileStream(file, FileMode.CreateNew))
        {
            stream.SetLength(Length); // sparse: zeros cost no disk
            foreach (long at in new[] { 0L, 300L * MiB, 700L * MiB, Length - MiB })
                await WriteRandomAsync(stream, at, MiB, seed: (int)(at >> 20));
        }
        var remote = tmp.Sub("remote");
        await using (var backend = new BackendRegistry().AddFileSystem().Open("file://" + remote))
            await Support.Sessions.BackupAsync(backend, Repo(tmp, T0), new BackupOptions { Source = source, Mode = BackupMode.Full });

        await using (var stream = new FileStream(file, FileMode.Open))
            await WriteRandomAsync(stream, 700L * MiB + MiB / 2, MiB, seed: 99); // half over a random region, half over zeros
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(5));
        long before = Directory.GetFiles(remote).Sum(f => new FileInfo(f).Length);
        BackupResult incremental;
        await using (var backend = new BackendRegistry().AddFileSystem().Open("file://" + remote))
            incremental = await Support.Sessions.BackupAsync(backend, Repo(tmp, T0 + 3600), new BackupOptions { Source = source, Mode = BackupMode.Incremental });
        long stored = Directory.GetFiles(remote).Sum(f => new FileInfo(f).Length) - before;

        Assert.That(incremental.Statistics.ChangedFiles, Is.EqualTo(1));
        // The changed MiB (random) plus the new signature (12 bytes a block, compressible where zeros repeat) and small change.
        Assert.That(stored, Is.LessThan(2 * MiB + (blocks * 12L)), $"stored {stored} bytes");
        Assert.That(Directory.GetFiles(tmp.Sub("temp"), "*", SearchOption.AllDirectories), Is.Empty, "no temporary file left");

        var target = tmp.Sub("restored");
        await using (var backend = new BackendRegistry().AddFileSystem().Open("file://" + remote))
            await Support.Sessions.RestoreAsync(backend, Repo(tmp, T0 + 7200), new RestoreOptions { Target = target });
        var restored = Path.Combine(target, "large.bin");
        try
        {
            Assert.That(new FileInfo(restored).Length, Is.EqualTo(Length));
            Assert.That(await HashAsync(restored), Is.EqualTo(await HashAsync(file)), "bit for bit");
        }
        finally
        {
            File.Delete(restored); // over 1 GiB written: free the disk before the next test
        }
    }

    private static RepositoryOptions Repo(TempFolder tmp, long time)
    {
        Directory.CreateDirectory(tmp.Sub("temp"));
        return new() { ArchiveDirectory = tmp.Sub("cache"), Name = "large", TempDirectory = tmp.Sub("temp"), TimeProvider = new FixedClock(time) };
    }

    private static async Task WriteRandomAsync(FileStream stream, long at, int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        stream.Position = at;
        await stream.WriteAsync(data);
    }

    private static async Task<byte[]> HashAsync(string path)
    {
        var hash = new XxHash128();
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        await hash.AppendAsync(stream);
        return hash.GetHashAndReset();
    }
}
