using System.Text;
using Duplicity.Rsync;
using static Duplicity.Tests.Rsync.RsyncTestData;

namespace Duplicity.Tests.Rsync;

[Category("Unit")]
public class DeltaGeneratorTests
{
    private static readonly byte[] Hello = Encoding.ASCII.GetBytes("hello\n");

    [Test]
    public void UnchangedShortFileIsOneCopy()
    {
        Assert.That(MakeDelta(MakeSignature(Hello, 512), Hello), Is.EqualTo(Hex("72730236 45 00 06 00")));
    }

    [Test]
    public void AgainstEmptySignatureIsOneLiteral()
    {
        Assert.That(MakeDelta(MakeSignature([], 512), Hello), Is.EqualTo(Hex("72730236 06 68656c6c6f0a 00")));
    }

    [Test]
    public void EmptyNewFileIsJustEnd()
    {
        Assert.That(MakeDelta(MakeSignature(Hello, 512), []), Is.EqualTo(Hex("72730236 00")));
    }

    [Test]
    public void FoxVector()
    {
        byte[] fox = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog.\n");
        byte[] foxNew = Encoding.ASCII.GetBytes("The quick brown cat jumps over the lazy dog!\nExtra line.\n");
        byte[] expected = Hex("7273023645001029636174206a756d7073206f76657220746865206c617a7920646f67210a4578747261206c696e652e0a00");
        Assert.That(MakeDelta(MakeSignature(fox, 16), foxNew), Is.EqualTo(expected));
        Assert.That(Patch(fox, expected), Is.EqualTo(foxNew));
    }

    [Test]
    public void SeqVector()
    {
        byte[] seq = SignatureBuilderTests.Seq;
        byte[] seqNew = [.. seq.AsSpan(0, 600), .. "INSERTED"u8, .. seq.AsSpan(600)];
        Assert.That(Sha256Hex(seqNew), Is.EqualTo("fcc619ec77efc1a19fce467a9e1bbd71d311a12f5bc397e96b2412988fac6554"));
        byte[] signature = MakeSignature(seq, 512);
        for (int seed = -1; seed < 20; seed++)
        {
            byte[] delta = MakeDelta(signature, seqNew, seed < 0 ? null : new Random(seed));
            Assert.That(delta.Length, Is.EqualTo(536));
            Assert.That(Sha256Hex(delta), Is.EqualTo("0dabba66f4119ea4f03ee6249bf935e3ed9913aaeeb1df18df262194b84d5eb3"), $"chunking seed {seed}");
        }

        byte[] expectedStart = Hex("72730236 46 00 0200 42 0208");
        Assert.That(MakeDelta(signature, seqNew)[..expectedStart.Length], Is.EqualTo(expectedStart));
        Assert.That(Patch(seq, MakeDelta(signature, seqNew)), Is.EqualTo(seqNew));
    }

    [Test]
    public void FixtureBigBinFirstIncremental()
    {
        byte[] stage1 = FixtureBigBin.Stage1();
        byte[] stage2 = FixtureBigBin.Stage2();
        Assert.That(Sha256Hex(stage1), Is.EqualTo("bf1536973c0f6451a85c2e014e9d814ddd174bd6f94feb2d1a8ff8870d6bab8d"));
        Assert.That(Sha256Hex(stage2), Is.EqualTo("12c609717398d43e5688c201eca8b7e101610db97a76bf529c89353fe7968bba"));

        byte[] delta = MakeDelta(MakeSignature(stage1, SignatureParameters.BlockLengthFor(stage1.Length)), stage2, new Random(5));
        Assert.That(delta.Length, Is.EqualTo(535));
        Assert.That(Sha256Hex(delta), Is.EqualTo("029e0c5005205c56d2301b81525ad7f0209d98a3dc6b74e716eca56578e7cc04"));
        Assert.That(delta[..10], Is.EqualTo(Hex("72730236 47 00 00011000")));
        Assert.That(delta[^10..], Is.EqualTo(Hex("4f 00011200 0003d000 00")));
        Assert.That(Patch(stage1, delta), Is.EqualTo(stage2));
    }

    [Test]
    public void FixtureBigBinSecondIncrementalSplitsLiteralsAt32768()
    {
        byte[] stage2 = FixtureBigBin.Stage2();
        byte[] stage3 = FixtureBigBin.Stage3();
        Assert.That(Sha256Hex(stage3), Is.EqualTo("282ea90110ddddd7724b5324a9d32b41655249f162fecae3b66f3147335cb89a"));

        byte[] delta = MakeDelta(MakeSignature(stage2, 512), stage3, new Random(6));
        Assert.That(delta.Length, Is.EqualTo(66020));
        Assert.That(delta[..10], Is.EqualTo(Hex("72730236 47 00 0004e200")));
        Assert.That(delta[10..13], Is.EqualTo(Hex("42 8000")));
        Assert.That(delta[(13 + 32768)..(16 + 32768)], Is.EqualTo(Hex("42 8000")));
        Assert.That(delta[(16 + 65536)..(19 + 65536)], Is.EqualTo(Hex("42 01d0")));
        Assert.That(delta[^1], Is.EqualTo(0));
        Assert.That(Patch(stage2, delta), Is.EqualTo(stage3));
    }

    [Test]
    public void ModeOnlyChangeIsOneCopy()
    {
        byte[] keep = Encoding.ASCII.GetBytes("unchanged content\n");
        Assert.That(MakeDelta(MakeSignature(keep, 512), keep), Is.EqualTo(Hex("7273023645001200")));
    }

    [Test]
    public void RepeatedBlocksCopyFromTheLowestIndex()
    {
        // Four identical blocks: every window matches block 0, so COPYs cannot merge.
        byte[] block = new byte[512];
        new Random(1).NextBytes(block);
        byte[] basis = [.. block, .. block, .. block, .. block];
        byte[] delta = MakeDelta(MakeSignature(basis, 512), basis);
        Assert.That(delta, Is.EqualTo(Hex("72730236 46 00 0200 46 00 0200 46 00 0200 46 00 0200 00")));
    }

    [Test]
    public void CompleteTwiceThrows()
    {
        var generator = new DeltaGenerator(Signature.Parse(MakeSignature(Hello, 512)), new MemoryStream());
        generator.Complete();
        Assert.Throws<ObjectDisposedException>(() => generator.Complete());
    }
}

[Category("Unit")]
public class EmptySignatureDeltaTests
{
    [Test]
    public void LiteralPiecesFollowTheBlockLengthLikeRdiff()
    {
        // librsync's "slack" delta: one literal per input buffer; rdiff's buffer is the block length.
        byte[] data = new byte[1906];
        new Random(2).NextBytes(data);
        byte[] delta = RsyncTestData.MakeDelta(RsyncTestData.MakeSignature([], 1024), data, new Random(3));
        Assert.That(delta.Length, Is.EqualTo(4 + 3 + 1024 + 3 + 882 + 1));
        Assert.That(delta[4..7], Is.EqualTo(RsyncTestData.Hex("42 0400")));
        Assert.That(delta[(7 + 1024)..(10 + 1024)], Is.EqualTo(RsyncTestData.Hex("42 0372")));
        Assert.That(RsyncTestData.Patch([], delta), Is.EqualTo(data));
    }
}
