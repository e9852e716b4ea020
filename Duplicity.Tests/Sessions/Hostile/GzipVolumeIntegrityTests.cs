using System.IO.Compression;
using Duplicity.Tests.Support;
using static Duplicity.Tests.Sessions.Hostile.CraftedArchive;

namespace Duplicity.Tests.Sessions.Hostile;

/// <summary>
/// Gzip volumes are read to their end so the CRC and length trailer is checked, also after the tar
/// end; a bomb hidden after the tar end is refused without inflating it.
/// </summary>
[Category("Fault")]
public class GzipVolumeIntegrityTests
{
    /// <summary>The hello tar followed by 200 KB of random bytes (so the gzip body is long after the tar end).</summary>
    private static byte[] PaddedVolume()
    {
        var padding = new byte[200_000];
        new Random(9).NextBytes(padding);
        return Gzip([.. HelloTar(), .. padding]);
    }

    [Test]
    public async Task AnIntactVolumeWithTrailingDataRestores()
    {
        using var tmp = new TempFolder();
        var result = await RestoreAsync(await BackendWithAsync(PaddedVolume(), encrypted: false), tmp);
        Assert.That(result.ObjectsRestored, Is.EqualTo(2));
    }

    [TestCase(-6, TestName = "A flipped CRC byte fails the restore")]
    [TestCase(-2, TestName = "A flipped length byte fails the restore")]
    public async Task AFlippedTrailerFailsTheRestore(int at)
    {
        using var tmp = new TempFolder();
        var volume = PaddedVolume();
        volume[volume.Length + at] ^= 0x01;
        Assert.ThrowsAsync(Is.InstanceOf<ArchiveCorruptException>(), async () => await RestoreAsync(await BackendWithAsync(volume, encrypted: false), tmp));
    }

    [TestCase(4)]
    [TestCase(8)]
    [TestCase(50_000)]
    public async Task AVolumeCutAfterTheTarEndFailsTheRestore(int cut)
    {
        using var tmp = new TempFolder();
        var volume = PaddedVolume();
        Assert.ThrowsAsync(Is.InstanceOf<ArchiveCorruptException>(), async () => await RestoreAsync(await BackendWithAsync(volume[..^cut], encrypted: false), tmp));
    }

    [Test]
    public async Task ABombAfterTheTarEndIsRefusedWithoutInflatingIt()
    {
        using var tmp = new TempFolder();
        // 512 MiB of zeros after the tar end deflate to about half a megabyte.
        var bomb = new MemoryStream();
        using (var z = new GZipStream(bomb, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(HelloTar());
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 512; i++) z.Write(zeros);
        }
        var volume = bomb.ToArray();
        Assert.That(volume.Length, Is.LessThan(4 << 20));
        var backend = await BackendWithAsync(volume, encrypted: false);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.ThrowsAsync<ArchiveCorruptException>(() => RestoreAsync(backend, tmp));
        Assert.That(e!.Message, Does.Contain("inflates beyond"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
        Assert.That(GC.GetTotalAllocatedBytes(precise: true) - before, Is.LessThan(64L << 20), "allocations stay far below the inflated size");
    }
}
