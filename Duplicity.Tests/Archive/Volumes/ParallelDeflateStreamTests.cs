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
}
