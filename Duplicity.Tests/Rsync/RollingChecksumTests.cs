using System.Text;
using Duplicity.Rsync;

namespace Duplicity.Tests.Rsync;

[Category("Unit")]
public class RollingChecksumTests
{
    [Test]
    public void MatchesSpecValues()
    {
        Assert.That(RollingChecksum.Of([]), Is.EqualTo(0x00000000u));
        Assert.That(RollingChecksum.Of("a"u8), Is.EqualTo(0x00800080u));
        Assert.That(RollingChecksum.Of(Encoding.ASCII.GetBytes("hello\n")), Is.EqualTo(0x0ad002d8u));
        Assert.That(RollingChecksum.Of(new byte[512]), Is.EqualTo(0x1f003e00u));
        byte[] twice = Enumerable.Range(0, 512).Select(i => (byte)i).ToArray();
        Assert.That(RollingChecksum.Of(twice), Is.EqualTo(0xf4003d00u));
    }

    [Test]
    public void PiecewiseUpdateEqualsScalarDefinition()
    {
        var random = new Random(7);
        byte[] data = new byte[5000];
        random.NextBytes(data);
        for (int trial = 0; trial < 50; trial++)
        {
            int length = random.Next(0, data.Length);
            var sum = default(RollingChecksum);
            int pos = 0;
            while (pos < length)
            {
                int piece = Math.Min(random.Next(1, 200), length - pos);
                sum.Update(data.AsSpan(pos, piece));
                pos += piece;
            }

            Assert.That(sum.Digest, Is.EqualTo(ScalarDigest(data.AsSpan(0, length))), $"length {length}");
            Assert.That(sum.Count, Is.EqualTo(length));
        }
    }

    [Test]
    public void RotateAndRollOutEqualRecomputing()
    {
        var random = new Random(11);
        byte[] data = new byte[3000];
        random.NextBytes(data);
        const int window = 700;
        var sum = default(RollingChecksum);
        sum.Update(data.AsSpan(0, window));
        for (int start = 1; start + window <= data.Length; start++)
        {
            sum.Rotate(data[start - 1], data[start + window - 1]);
            Assert.That(sum.Digest, Is.EqualTo(ScalarDigest(data.AsSpan(start, window))));
        }

        int from = data.Length - window;
        for (int start = from + 1; start < data.Length; start++)
        {
            sum.RollOut(data[start - 1]);
            Assert.That(sum.Digest, Is.EqualTo(ScalarDigest(data.AsSpan(start))));
        }

        Assert.That(sum.Count, Is.EqualTo(1));
    }

    private static uint ScalarDigest(ReadOnlySpan<byte> block)
    {
        uint s1 = 0, s2 = 0;
        foreach (byte b in block)
        {
            s1 = (s1 + b + 31) & 0xFFFF;
            s2 = (s2 + s1) & 0xFFFF;
        }

        return (s2 << 16) | s1;
    }
}
