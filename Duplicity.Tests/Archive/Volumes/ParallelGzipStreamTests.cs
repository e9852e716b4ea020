using System.IO.Compression;
using Duplicity.Archive.Volumes;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Archive.Volumes;

[Category("Unit")]
public class ParallelGzipStreamTests
{
    private static byte[] Data(int length, bool compressible)
    {
        var data = new byte[length];
        var rnd = new Random(length);
        if (!compressible) { rnd.NextBytes(data); return data; }
        for (int i = 0; i < length; i++) data[i] = (byte)"the quick brown fox jumps "[(i + rnd.Next(3)) % 26];
        return data;
    }

    private static async Task<byte[]> CompressAsync(byte[] data, int chunk)
    {
        var output = new MemoryStream();
        await using (var gz = new ParallelGzipStream(output))
            for (int i = 0; i < data.Length; i += chunk)
                await gz.WriteAsync(data.AsMemory(i, Math.Min(chunk, data.Length - i)));
        return output.ToArray();
    }

    [TestCase(0, false)]
    [TestCase(1, true)]
    [TestCase(1 << 20, false)]
    [TestCase((1 << 20) + 1, true)]
    [TestCase(3_500_000, true)]
    [TestCase(3_500_000, false)]
    public async Task RoundTripsThroughAStandardGzipReader(int length, bool compressible)
    {
        var data = Data(length, compressible);
        var gz = await CompressAsync(data, 70_000);
        using var reader = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        var back = new MemoryStream();
        reader.CopyTo(back);
        Assert.That(back.ToArray(), Is.EqualTo(data));
        Assert.That(gz[..3], Is.EqualTo(new byte[] { 0x1f, 0x8b, 0x08 }));
    }

    [Category("Interop")]
    [TestCase(true)]
    [TestCase(false, Description = "random blocks, compressed with the run-length strategy")]
    public async Task GzipToolAcceptsTheOutputAndItsChecksum(bool compressible)
    {
        var gzip = ExternalTool.Require("gzip");
        using var tmp = new TempFolder();
        var data = Data(5_000_000, compressible);
        var file = tmp.Sub("x.gz");
        await File.WriteAllBytesAsync(file, await CompressAsync(data, 1 << 16));
        (await ExternalTool.RunAsync(gzip, ["-t", file])).EnsureSuccess();
        (await ExternalTool.RunAsync(gzip, ["-d", file])).EnsureSuccess();
        Assert.That(await File.ReadAllBytesAsync(tmp.Sub("x")), Is.EqualTo(data));
    }

    [Test]
    public async Task CompressesAboutAsWellAsOneStream()
    {
        var data = Data(4_000_000, true);
        var ours = await CompressAsync(data, 1 << 16);
        var single = new MemoryStream();
        using (var z = new GZipStream(single, new ZLibCompressionOptions { CompressionLevel = 6 }, leaveOpen: true)) z.Write(data);
        Assert.That(ours.Length, Is.LessThanOrEqualTo(single.Length * 1.01 + 64));
    }
}
