using Duplicity.Rsync;
using static Duplicity.Tests.Rsync.RsyncTestData;

namespace Duplicity.Tests.Rsync;

[Category("Unit")]
public class SignatureTests
{
    private static readonly byte[] SeqSignature =
        Hex("72730136 00000200 00000008 | 4ade334b 65edc6cc2a8c73ed | 87f233af 792f6f6c31b912e3 | fc405f38 caec9008cfa356b7");

    [Test]
    public void ParsesHeaderAndBlocks()
    {
        var signature = Signature.Read(new MemoryStream(SeqSignature));
        Assert.That(signature.BlockLength, Is.EqualTo(512));
        Assert.That(signature.StrongLength, Is.EqualTo(8));
        Assert.That(signature.BlockCount, Is.EqualTo(3));
        Assert.That(signature.WeakSum(1), Is.EqualTo(0x87f233afu));
        Assert.That(signature.StrongSum(2).ToArray(), Is.EqualTo(Hex("caec9008cfa356b7")));
        Assert.That(signature.Index.Bucket(0x4ade334b).ToArray(), Does.Contain(0));
    }

    [Test]
    public async Task ReadAsyncFromNonSeekableStreamInPieces()
    {
        var signature = await Signature.ReadAsync(new TrickleStream(SeqSignature, 5), CancellationToken.None);
        Assert.That(signature.BlockCount, Is.EqualTo(3));
        Assert.That(signature.WeakSum(2), Is.EqualTo(0xfc405f38u));
    }

    [Test]
    public void EmptyFileSignatureHasNoBlocks()
    {
        var signature = Signature.Parse(Hex("727301360000020000000008"));
        Assert.That(signature.BlockCount, Is.EqualTo(0));
        Assert.That(signature.Index.MayContain(0), Is.False);
    }

    [TestCase("72730137 00000200 00000008", TestName = "BLAKE2 magic")]
    [TestCase("72730236 00000200 00000008", TestName = "delta magic")]
    [TestCase("", TestName = "empty input")]
    [TestCase("72730136 000002", TestName = "truncated header")]
    [TestCase("72730136 00000000 00000008", TestName = "zero block length")]
    [TestCase("72730136 7fffffff 00000008", TestName = "huge block length")]
    [TestCase("72730136 00000200 00000000", TestName = "zero strong length")]
    [TestCase("72730136 00000200 00000011", TestName = "strong length over 16")]
    [TestCase("72730136 00000200 00000008 0ad002d8 63481c78ae04", TestName = "truncated entry")]
    [TestCase("72730136 00000200 00000008 0a", TestName = "one stray byte")]
    public void BadSignaturesAreCorrupt(string hex)
    {
        byte[] data = Hex(hex);
        Assert.Throws<ArchiveCorruptException>(() => Signature.Read(new MemoryStream(data)));
        Assert.ThrowsAsync<ArchiveCorruptException>(() => Signature.ReadAsync(new MemoryStream(data), CancellationToken.None));
    }

    [Test]
    public void StrongLengthFromHeaderIsHonoured()
    {
        // rdiff can write shorter strong sums; a reader takes the length from the header.
        var signature = Signature.Parse(Hex("72730136 00000200 00000004 | 0ad002d8 63481c78"));
        Assert.That(signature.StrongLength, Is.EqualTo(4));
        byte[] delta = MakeDelta(Hex("72730136 00000200 00000004 0ad002d8 63481c78"), "hello\n"u8);
        Assert.That(delta, Is.EqualTo(Hex("72730236 45 00 06 00")));
    }

    /// <summary>A forward-only stream that returns at most a few bytes per read.</summary>
    internal sealed class TrickleStream(byte[] data, int maxRead) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, maxRead), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
