using System.Text;
using Duplicity.Rsync;
using static Duplicity.Tests.Rsync.RsyncTestData;

namespace Duplicity.Tests.Rsync;

[Category("Unit")]
public class SignatureBuilderTests
{
    internal static readonly byte[] Seq = Enumerable.Range(0, 1200).Select(i => (byte)(i % 251)).ToArray();

    [Test]
    public void EmptyFileIsTheHeaderAlone()
    {
        Assert.That(MakeSignature([], 512), Is.EqualTo(Hex("727301360000020000000008")));
    }

    [Test]
    public void HelloIsOneShortBlock()
    {
        Assert.That(MakeSignature(Encoding.ASCII.GetBytes("hello\n"), 512),
            Is.EqualTo(Hex("72730136 00000200 00000008 | 0ad002d8 63481c78ae04c201")));
    }

    [Test]
    public void SeqMatchesRdiff()
    {
        byte[] expected = Hex("72730136 00000200 00000008 | 4ade334b 65edc6cc2a8c73ed | 87f233af 792f6f6c31b912e3 | fc405f38 caec9008cfa356b7");
        Assert.That(Sha256Hex(Seq), Is.EqualTo("27dd43e8c516b70a84c9d8f18aa77112f5acf4df685ecd7de556dbe989739ced"));
        Assert.That(MakeSignature(Seq, 512), Is.EqualTo(expected));
        for (int seed = 0; seed < 20; seed++)
        {
            Assert.That(MakeSignature(Seq, 512, new Random(seed)), Is.EqualTo(expected), $"chunking seed {seed}");
        }
    }

    [Test]
    public void FoxWithBlock16()
    {
        byte[] fox = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog.\n");
        Assert.That(MakeSignature(fox, 16),
            Is.EqualTo(Hex("72730136 00000010 00000008 | 41b907b6 3d55465380a6a05c | 44b807fc b17bb7244d1c454f | 2b3405d2 1796ebccd735bb02")));
    }

    [Test]
    public void LengthMatchesSignatureParameters()
    {
        var random = new Random(3);
        foreach (int length in new[] { 0, 1, 511, 512, 513, 10_000, 70_001 })
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            Assert.That(MakeSignature(data, 512, random).LongLength, Is.EqualTo(SignatureParameters.SignatureLength(length, 512)));
        }
    }

    [Test]
    public void AppendAfterCompleteThrows()
    {
        var builder = new SignatureBuilder(512, new MemoryStream());
        builder.Complete();
        Assert.Throws<ObjectDisposedException>(() => builder.Append([1]));
    }
}
