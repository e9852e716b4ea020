using Duplicity.Rsync;
using Duplicity.Tests.Support;
using static Duplicity.Tests.Rsync.RsyncTestData;

namespace Duplicity.Tests.Rsync;

/// <summary>
/// Large signatures keep their strong sums in a private temporary file: the blocks read back are the same,
/// deltas against them are byte for byte those against sums held in memory, and the file goes with the
/// signature (or with a parse that failed).
/// </summary>
[Category("Unit")]
public class SpilledSignatureTests
{
    private const int BlockLength = 16;

    // 2.5 MB in 16-byte blocks: 156,250 blocks, past two segments, so the spill starts mid-parse.
    private static readonly byte[] Basis = RandomBytes(2_500_000, 1);

    private static readonly byte[] BasisSignature = MakeSignature(Basis, BlockLength);

    [Test]
    public void PastTheThresholdTheStrongSumsGoToAFileAndReadBackTheSame()
    {
        using var tmp = new TempFolder();
        var inMemory = Signature.Parse(BasisSignature);
        using (var spilled = Signature.Read(new MemoryStream(BasisSignature), new byte[4096], tmp.Path, Signature.SegmentBlocks))
        {
            Assert.That(spilled.StrongSumsSpilled, Is.True);
            Assert.That(inMemory.StrongSumsSpilled, Is.False);
            Assert.That(Directory.GetFiles(tmp.Path), Has.Length.EqualTo(1), "one temporary file");
            Assert.That(spilled.BlockCount, Is.EqualTo(inMemory.BlockCount).And.GreaterThan(2 * Signature.SegmentBlocks));
            // Forwards, then in an order that leaves the read window at every step.
            var order = Enumerable.Range(0, inMemory.BlockCount)
                .Concat(Enumerable.Range(0, 5000).Select(i => (int)((i * 2_654_435_761L) % inMemory.BlockCount)));
            foreach (int block in order)
            {
                Assert.That(spilled.WeakSum(block), Is.EqualTo(inMemory.WeakSum(block)));
                if (!spilled.StrongSum(block).SequenceEqual(inMemory.StrongSum(block)))
                    Assert.Fail($"strong sum of block {block} differs");
            }
        }
        Assert.That(Directory.GetFiles(tmp.Path), Is.Empty, "disposing the signature deletes its file");
    }

    [Test]
    public void ADeltaAgainstSpilledSumsIsTheOneAgainstSumsInMemory()
    {
        using var tmp = new TempFolder();
        // An overwrite, an insertion and a deletion far apart, as edits of a large file look.
        var changed = Basis[..400_000]
            .Concat(RandomBytes(3000, 2))
            .Concat(Basis[403_000..1_200_000])
            .Concat(RandomBytes(777, 3))
            .Concat(Basis[1_200_000..2_000_000])
            .Concat(Basis[2_050_000..])
            .ToArray();

        byte[] expected = MakeDelta(BasisSignature, changed);
        var output = new MemoryStream();
        using (var spilled = Signature.Read(new MemoryStream(BasisSignature), new byte[65536], tmp.Path, Signature.SegmentBlocks))
        {
            Assert.That(spilled.StrongSumsSpilled, Is.True);
            var generator = new DeltaGenerator(spilled, output);
            foreach (var range in Chunks(changed.Length, new Random(4)))
                generator.Append(changed.AsSpan(range));
            generator.Complete();
        }

        Assert.That(output.ToArray(), Is.EqualTo(expected), "the same delta, byte for byte");
        Assert.That(Patch(Basis, output.ToArray()), Is.EqualTo(changed));
        Assert.That(expected.Length, Is.LessThan(changed.Length / 10), "mostly copies: the sums were found");
    }

    [Test]
    public void BelowTheThresholdOrWithoutAFolderNothingIsSpilled()
    {
        using var tmp = new TempFolder();
        using (var below = Signature.Read(new MemoryStream(BasisSignature), new byte[4096], tmp.Path, 4 * Signature.SegmentBlocks))
            Assert.That(below.StrongSumsSpilled, Is.False);
        using (var noFolder = Signature.Read(new MemoryStream(BasisSignature), new byte[4096], null, Signature.SegmentBlocks))
            Assert.That(noFolder.StrongSumsSpilled, Is.False);
        Assert.That(Directory.GetFiles(tmp.Path), Is.Empty);
    }

    [Test]
    public void ASignatureCutShortAfterSpillingLeavesNoFile()
    {
        using var tmp = new TempFolder();
        var truncated = BasisSignature[..(BasisSignature.Length - 5)];
        Assert.Throws<ArchiveCorruptException>(() =>
            Signature.Read(new MemoryStream(truncated), new byte[4096], tmp.Path, Signature.SegmentBlocks));
        Assert.That(Directory.GetFiles(tmp.Path), Is.Empty);
    }

    [TestCase(0)]
    [TestCase(1000)]
    public void TheThresholdIsAWholeNumberOfSegments(int blocks)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Signature.Read(new MemoryStream(BasisSignature), new byte[4096], "/tmp", blocks));
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
