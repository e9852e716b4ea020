using Duplicity.Rsync;
using static Duplicity.Tests.Rsync.RsyncTestData;

namespace Duplicity.Tests.Rsync;

[Category("Unit")]
public class DeltaPatcherTests
{
    private static readonly byte[] Basis = "0123456789abcdef"u8.ToArray();

    [Test]
    public void AcceptsWideIntegersZeroLengthsAndAnySplit()
    {
        // COPY(2,3) with u64 offset / u32 length, LITERAL 2 via u16 length, empty LITERAL, COPY(0,0), END, then junk.
        byte[] delta = Hex("72730236 53 0000000000000002 00000003 42 0002 7a7a 41 00 45 00 00 00 ff ff");
        Assert.That(Patch(Basis, delta), Is.EqualTo("234zz"u8.ToArray()));
    }

    [Test]
    public void LongLiteralsAndCopiesStream()
    {
        var random = new Random(8);
        byte[] basis = new byte[300_000];
        random.NextBytes(basis);
        byte[] literal = new byte[200_000];
        random.NextBytes(literal);
        using var delta = new MemoryStream();
        delta.Write(Hex("72730236 43 00030d40"));
        delta.Write(literal);
        delta.Write(Hex("4f 00000005 000493db 00"));    // COPY(5, 299995)
        byte[] patched = Patch(basis, delta.ToArray());
        Assert.That(patched, Is.EqualTo([.. literal, .. basis[5..]]));
    }

    [TestCase("72730136 00", TestName = "signature magic")]
    [TestCase("7273", TestName = "truncated magic")]
    [TestCase("", TestName = "empty delta")]
    [TestCase("72730236", TestName = "no END")]
    [TestCase("72730236 55", TestName = "reserved opcode 0x55")]
    [TestCase("72730236 ff", TestName = "reserved opcode 0xff")]
    [TestCase("72730236 05 6162", TestName = "literal cut short")]
    [TestCase("72730236 42 00", TestName = "literal length cut short")]
    [TestCase("72730236 49 0000", TestName = "copy arguments cut short")]
    [TestCase("72730236 45 0c 05 00", TestName = "copy past basis end")]
    [TestCase("72730236 45 11 00 00", TestName = "copy offset past basis end")]
    [TestCase("72730236 54 ffffffffffffffff ffffffffffffffff 00", TestName = "copy with huge u64 values")]
    [TestCase("72730236 45 00 04", TestName = "copy then no END")]
    public void CorruptDeltasAreRejected(string hex)
    {
        byte[] delta = Hex(hex);
        Assert.ThrowsAsync<ArchiveCorruptException>(() =>
            DeltaPatcher.ApplyAsync(new MemoryStream(Basis), new MemoryStream(delta), new MemoryStream(), CancellationToken.None));
    }

    [Test]
    public void NonSeekableBasisIsAnArgumentError()
    {
        var basis = new SignatureTests.TrickleStream(Basis, 4);
        Assert.ThrowsAsync<ArgumentException>(() =>
            DeltaPatcher.ApplyAsync(basis, new MemoryStream(Hex("7273023600")), new MemoryStream(), CancellationToken.None));
    }

    [Test]
    public async Task ReadsDeltaFromATrickleStream()
    {
        byte[] delta = Hex("72730236 45 00 06 05 58595a5b5c 00");
        var output = new MemoryStream();
        await DeltaPatcher.ApplyAsync(new MemoryStream(Basis), new SignatureTests.TrickleStream(delta, 1), output, CancellationToken.None);
        Assert.That(output.ToArray(), Is.EqualTo("012345XYZ[\\"u8.ToArray()));
    }

    [Test]
    public void HonoursCancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.CatchAsync<OperationCanceledException>(() =>
            DeltaPatcher.ApplyAsync(new MemoryStream(Basis), new MemoryStream(Hex("7273023600")), new MemoryStream(), cancelled.Token));
    }
}
