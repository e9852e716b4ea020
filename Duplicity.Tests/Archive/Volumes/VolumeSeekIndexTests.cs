using System.IO.Compression;
using Duplicity.Archive.Volumes;
using Duplicity.Files;
using Duplicity.IO;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Archive.Volumes;

/// <summary>
/// The seek index's parts: block starts a raw inflater can begin at, the join of tar offsets with them,
/// the choice of a point before a path, and a file format that refuses what it did not write.
/// </summary>
[Category("Unit")]
public class VolumeSeekIndexTests
{
    private static byte[] Text(int length, int seed)
    {
        var data = new byte[length];
        var rnd = new Random(seed);
        for (int i = 0; i < length; i++) data[i] = (byte)"lorem ipsum dolor sit amet "[(i + rnd.Next(4)) % 27];
        return data;
    }

    [Test]
    public async Task EveryBlockStartOfAGzipVolumeIsWhereARawInflaterReadsTheRestOfTheData()
    {
        var data = Text(5_300_000, 1);
        var output = new MemoryStream();
        var gz = new ParallelGzipStream(output);
        await using (gz)
        {
            // Uneven writes and a sync in the middle (a size probe) make a short block.
            await gz.WriteAsync(data.AsMemory(0, 1_500_000));
            await gz.SyncAsync(CancellationToken.None);
            for (int i = 1_500_000; i < data.Length; i += 77_777)
                await gz.WriteAsync(data.AsMemory(i, Math.Min(77_777, data.Length - i)));
        }
        var starts = gz.BlockStarts.ToList();
        var stored = output.ToArray();

        Assert.That(starts, Has.Count.EqualTo(6), "1 MiB + the short block before the sync, then four more (the last one short)");
        Assert.That(starts[0], Is.EqualTo(new DeflateBlockStart(0, 10)), "the first block follows the 10-byte gzip header");
        Assert.That(starts[2].Input, Is.EqualTo(1_500_000), "the sync ended a block");
        foreach (var start in starts)
        {
            using var inflate = new DeflateStream(new MemoryStream(stored, (int)start.Output, stored.Length - (int)start.Output), CompressionMode.Decompress);
            var rest = new MemoryStream();
            await inflate.CopyToAsync(rest);
            Assert.That(rest.ToArray(), Is.EqualTo(data[(int)start.Input..]), $"from input offset {start.Input}");
        }
    }

    [Test]
    public void EachEntryPointIsReachedFromTheLastBlockStartingAtOrBeforeIt()
    {
        DeflateBlockStart[] blocks = [new(0, 10), new(1 << 20, 500_000), new(2 << 20, 900_000)];
        VolumeEntryPoint[] entries = [new(IndexPath.Parse("a"), 0), new(IndexPath.Parse("b"), 1_048_064), new(IndexPath.Parse("c"), 1 << 20), new(IndexPath.Parse("d"), 3_000_000)];

        var points = VolumeSeekIndex.Build(entries, blocks);

        // a and b lie in the first block: reading from the volume's start costs the same.
        Assert.That(points, Is.EqualTo(new[]
        {
            new VolumeSeekPoint(IndexPath.Parse("c"), 500_000, 0),
            new VolumeSeekPoint(IndexPath.Parse("d"), 900_000, 3_000_000 - (2 << 20)),
        }));
    }

    private static VolumeSeekIndex Sample()
    {
        var index = new VolumeSeekIndex();
        index.Add(1, "AB12", [new(IndexPath.Parse("m/x"), 4000, 12), new(IndexPath.Parse("m/x"), 9000, 0), new(IndexPath.Parse("t"), 20000, 512, 300)]);
        index.Add(2, "cd34", [new(IndexPath.Parse("z"), 7000, 1024)]);
        return index;
    }

    [TestCase("m/x/deeper", 9000L, Description = "after both chunks of m/x")]
    [TestCase("s", 9000L)]
    [TestCase("zz", 20000L)]
    [TestCase("m/x", null, Description = "every entry of the path must follow the point: none is before it")]
    public void TheLastPointStrictlyBeforeThePathIsChosen(string path, long? offset) =>
        Assert.That(Sample().FindBefore(1, "ab12", IndexPath.Parse(path))?.StoredOffset, Is.EqualTo(offset));

    [Test]
    public void NoPointForTheFirstEntryTheRootAnotherHashOrAnotherVolume()
    {
        var index = Sample();
        Assert.That(index.FindBefore(1, "ab12", IndexPath.Parse("a")), Is.Null, "nothing before the first point");
        Assert.That(index.FindBefore(1, "ab12", IndexPath.Root), Is.Null, "a whole restore reads from the start");
        Assert.That(index.FindBefore(1, "ab13", IndexPath.Parse("s")), Is.Null, "the points describe other bytes");
        Assert.That(index.FindBefore(1, null, IndexPath.Parse("s")), Is.Null, "a volume without a manifest hash");
        Assert.That(index.FindBefore(3, "ab12", IndexPath.Parse("s")), Is.Null, "a volume without points");
        Assert.That(index.FindBefore(2, "CD34", IndexPath.Parse("zz"))?.Skip, Is.EqualTo(1024), "hashes compare without case");
    }

    [Test]
    public async Task SavedAndLoadedItAnswersTheSameAndTheFileIsPrivate()
    {
        using var tmp = new TempFolder();
        var path = tmp.Sub("index");
        await Sample().SaveAsync(path, CancellationToken.None);

        var loaded = VolumeSeekIndex.TryLoad(path);
        Assert.That(loaded, Is.Not.Null);
        Assert.That(loaded!.Count, Is.EqualTo(2));
        foreach (var p in new[] { "m/x/deeper", "s", "zz", "m/x", "a" })
            for (int v = 1; v <= 2; v++)
                Assert.That(loaded.FindBefore(v, v == 1 ? "ab12" : "cd34", IndexPath.Parse(p)),
                    Is.EqualTo(Sample().FindBefore(v, v == 1 ? "ab12" : "cd34", IndexPath.Parse(p))), $"{p} in volume {v}");
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void AnIndexOfTheFirstVersionLoadsWithoutThePointsOfItsVolumesFirstBlocks()
    {
        using var tmp = new TempFolder();
        var path = tmp.Sub("index-v1");
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write("DNSEEK1\n"u8);
            writer.Write(1);
            writer.Write(4);
            writer.Write(4);
            writer.Write("ab12"u8);
            writer.Write(2);
            foreach (var (name, offset, skip) in new[] { ("a", 10L, 0), ("k", 70_000L, 33) })
            {
                writer.Write(offset);
                writer.Write(skip);
                writer.Write(name.Length);
                writer.Write(System.Text.Encoding.ASCII.GetBytes(name));
            }
        }

        var index = VolumeSeekIndex.TryLoad(path);

        Assert.That(index!.PointsOf(4), Is.EqualTo(new[] { new VolumeSeekPoint(IndexPath.Parse("k"), 70_000, 33) }));
    }

    [Test]
    public async Task AnythingButAWholeWellFormedIndexLoadsAsNone()
    {
        using var tmp = new TempFolder();
        var path = tmp.Sub("index");
        Assert.That(VolumeSeekIndex.TryLoad(path), Is.Null, "missing");
        await Sample().SaveAsync(path, CancellationToken.None);
        var good = await File.ReadAllBytesAsync(path);

        for (int cut = 0; cut < good.Length; cut += 7)
        {
            await File.WriteAllBytesAsync(path, good[..cut]);
            Assert.That(VolumeSeekIndex.TryLoad(path), Is.Null, $"cut at {cut}");
        }
        await File.WriteAllBytesAsync(path, [.. good, 0]);
        Assert.That(VolumeSeekIndex.TryLoad(path), Is.Null, "trailing byte");

        var random = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            var bad = (byte[])good.Clone();
            int at = random.Next(8, bad.Length);
            bad[at] ^= (byte)(1 << random.Next(8));
            await File.WriteAllBytesAsync(path, bad);
            // A flipped bit either breaks the format (none) or changes a value the restore checks anyway.
            Assert.DoesNotThrow(() => VolumeSeekIndex.TryLoad(path));
        }
    }
}
