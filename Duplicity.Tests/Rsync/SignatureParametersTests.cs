using Duplicity.Rsync;

namespace Duplicity.Tests.Rsync;

[Category("Unit")]
public class SignatureParametersTests
{
    [TestCase(0L, 512)]
    [TestCase(1023999L, 512)]
    [TestCase(1024000L, 512)]
    [TestCase(2047999L, 512)]
    [TestCase(2048000L, 1024)]
    [TestCase(2500000L, 1024)]
    [TestCase(3072000L, 1536)]
    [TestCase(4096000L, 2048)]
    [TestCase(50_000_000_000L, 2048)]
    public void BlockLengthFollowsDuplicity(long size, int expected)
    {
        Assert.That(SignatureParameters.BlockLengthFor(size), Is.EqualTo(expected));
    }

    [Test]
    public void MaxBlockSizeCapsLargeFilesOnly()
    {
        Assert.That(SignatureParameters.BlockLengthFor(100_000_000, 8192), Is.EqualTo(8192));
        Assert.That(SignatureParameters.BlockLengthFor(5_000_000, 8192), Is.EqualTo(2048));
        Assert.That(SignatureParameters.BlockLengthFor(5_000_000, 1024), Is.EqualTo(1024));
        Assert.That(SignatureParameters.BlockLengthFor(1000, 256), Is.EqualTo(512));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignatureParameters.BlockLengthFor(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignatureParameters.BlockLengthFor(10, 0));
    }

    [Test]
    public void SignatureLengthIsHeaderPlusTwelvePerBlock()
    {
        Assert.That(SignatureParameters.SignatureLength(0, 512), Is.EqualTo(12));
        Assert.That(SignatureParameters.SignatureLength(1, 512), Is.EqualTo(24));
        Assert.That(SignatureParameters.SignatureLength(1024, 512), Is.EqualTo(36));
        Assert.That(SignatureParameters.SignatureLength(1025, 512), Is.EqualTo(48));
        Assert.That(SignatureParameters.SignatureLength(320000, 512), Is.EqualTo(7512), "fixture signature/big.bin");
        Assert.That(SignatureParameters.SignatureLength(386000, 512), Is.EqualTo(9060), "fixture stage-3 signature/big.bin");
    }
}
