using Duplicity.IO;
using System.IO.Compression;
using Duplicity.Archive.Volumes;

namespace Duplicity.Tests.Archive.Volumes;

[Category("Unit")]
public class ParallelDeflateStreamTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(1 << 20)]
    [TestCase(3_500_000)]
    public async Task Raw_inflate_reads_it_back_and_nothing_is_left_pending(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data.AsSpan(0, length / 3));
        var output = new MemoryStream();
        var deflate = new ParallelDeflateStream(output, maxInFlight: 3);
        for (var i = 0; i < length; i += 50_000) await deflate.WriteAsync(data.AsMemory(i, Math.Min(50_000, length - i)));
        await deflate.DisposeAsync();
        Assert.That(deflate.PendingInputBytes, Is.Zero);
        Assert.That(output.CanWrite, Is.True, "the output is left open");
        using var inflate = new DeflateStream(new MemoryStream(output.ToArray()), CompressionMode.Decompress);
        var back = new MemoryStream();
        await inflate.CopyToAsync(back);
        Assert.That(back.ToArray(), Is.EqualTo(data));
    }

    [Test]
    public void Synchronous_writes_give_the_same_stream()
    {
        var data = new byte[2_200_000];
        for (var i = 0; i < data.Length; i++) data[i] = (byte)(i % 251 < 40 ? i : 'a');
        var output = new MemoryStream();
        using (var deflate = new ParallelDeflateStream(output))
            for (var i = 0; i < data.Length; i += 4096) deflate.Write(data, i, Math.Min(4096, data.Length - i));
        using var inflate = new DeflateStream(new MemoryStream(output.ToArray()), CompressionMode.Decompress);
        var back = new MemoryStream();
        inflate.CopyTo(back);
        Assert.That(back.ToArray(), Is.EqualTo(data));
    }

    private static byte[] Deflate(byte[] data)
    {
        var output = new MemoryStream();
        using (var deflate = new ParallelDeflateStream(output))
            deflate.Write(data);
        return output.ToArray();
    }

    private static byte[] Inflate(byte[] stored)
    {
        using var inflate = new DeflateStream(new MemoryStream(stored), CompressionMode.Decompress);
        var back = new MemoryStream();
        inflate.CopyTo(back);
        return back.ToArray();
    }

    private static byte[] Text(int length, int seed)
    {
        var data = new byte[length];
        var rnd = new Random(seed);
        for (int i = 0; i < length; i++) data[i] = (byte)"pack my box with five dozen liquor jugs "[(i + rnd.Next(4)) % 40];
        return data;
    }

    /// <summary>Random bytes cut into tar-like pieces: a 512-byte header, mostly zeros, before every 64 KiB.</summary>
    private static byte[] TarOfRandom(int length, int seed)
    {
        var data = new byte[length];
        var rnd = new Random(seed);
        for (int at = 0; at < length; at += 512 + 65536)
        {
            "multivol_snapshot/big/large.bin/7"u8.CopyTo(data.AsSpan(at, Math.Min(512, length - at)));
            if (at + 512 < length) rnd.NextBytes(data.AsSpan(at + 512, Math.Min(65536, length - at - 512)));
        }
        return data;
    }

    private static long ZlibLength(byte[] data)
    {
        var reference = new MemoryStream();
        using (var zlib = new DeflateStream(reference, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(data);
        return reference.Length;
    }

    [TestCase(3_500_000)]
    [TestCase(1 << 20)]
    [TestCase(300_000)]
    public void Random_blocks_take_the_fast_path_and_come_out_as_small_as_zlib_makes_them(int length)
    {
        var data = TarOfRandom(length, length);
        Assert.That(IncompressibleProbe.LooksIncompressible(data.AsSpan(0, Math.Min(length, 1 << 20))), Is.True);
        var deflated = Deflate(data);
        Assert.That(Inflate(deflated), Is.EqualTo(data));
        // The headers' zeros are still compressed: smaller than the input, and within 0.05 % of one zlib stream at level 6.
        Assert.That(deflated.Length, Is.LessThan(length));
        Assert.That(deflated.Length, Is.LessThanOrEqualTo(ZlibLength(data) * 1.0005 + 64));
    }

    [Test]
    public void Text_a_repeated_random_page_and_a_half_random_block_are_compressed()
    {
        var text = Text(1 << 20, 3);
        var page = new byte[4096];
        new Random(9).NextBytes(page);
        var pages = new byte[1 << 20];
        for (int i = 0; i < pages.Length; i += page.Length) page.CopyTo(pages, i);
        var half = Text(1 << 20, 4);
        new Random(11).NextBytes(half.AsSpan(0, half.Length / 2));

        foreach (var (name, data, atMost) in new[] { ("text", text, 0.5), ("repeated page", pages, 0.05), ("half random", half, 0.8) })
        {
            Assert.That(IncompressibleProbe.LooksIncompressible(data), Is.False, name);
            var stored = Deflate(data);
            Assert.That(Inflate(stored), Is.EqualTo(data), name);
            Assert.That(stored.Length, Is.LessThan(data.Length * atMost), name);
        }
    }

    [Test]
    public void Stored_and_compressed_blocks_mix_in_one_stream_that_gzip_readers_take()
    {
        var data = new byte[4 << 20];
        new Random(1).NextBytes(data.AsSpan(0, 1 << 20));
        Text(1 << 20, 5).CopyTo(data, 1 << 20);
        new Random(2).NextBytes(data.AsSpan(2 << 20, 1 << 20));
        Text(1 << 20, 6).CopyTo(data, 3 << 20);
        var output = new MemoryStream();
        using (var gz = new ParallelGzipStream(output))
            for (int i = 0; i < data.Length; i += 100_000) gz.Write(data.AsSpan(i, Math.Min(100_000, data.Length - i)));
        using var reader = new GZipStream(new MemoryStream(output.ToArray()), CompressionMode.Decompress);
        var back = new MemoryStream();
        reader.CopyTo(back);
        Assert.That(back.ToArray(), Is.EqualTo(data));
        // No bigger than one zlib stream at the same level (6) makes of it.
        Assert.That(output.Length, Is.LessThanOrEqualTo(ZlibLength(data) * 1.01));
    }
}
