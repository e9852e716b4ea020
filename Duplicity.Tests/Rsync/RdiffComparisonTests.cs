using static Duplicity.Tests.Rsync.RsyncTestData;

namespace Duplicity.Tests.Rsync;

/// <summary>
/// Byte-for-byte comparison with librsync's rdiff on randomized basis/new pairs: signatures,
/// deltas, and patches both ways (our patcher and rdiff patch on our delta).
/// </summary>
[Category("Interop")]
public class RdiffComparisonTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        RdiffTool.Require();
        _directory = Directory.CreateTempSubdirectory("rsync-rdiff-").FullName;
    }

    [TearDown]
    public void DeleteDirectory()
    {
        if (_directory.Length > 0)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    public void RandomEditsMatchRdiff()
    {
        var random = new Random(20260401);
        for (int i = 0; i < 90; i++)
        {
            int blockLength = new[] { 512, 1024, 2048 }[random.Next(3)];
            byte[] basis = MakeBasis(random, blockLength);
            byte[] changed = Edit(random, basis, blockLength);
            Compare(basis, changed, blockLength, random, $"case {i}: block {blockLength}, basis {basis.Length}, new {changed.Length}");
        }
    }

    [Test]
    public void SpecialShapesMatchRdiff()
    {
        var random = new Random(99);
        byte[] block = new byte[1024];
        random.NextBytes(block);
        byte[] zeros = new byte[20_000];
        byte[] someRandom = new byte[150_000];
        random.NextBytes(someRandom);
        byte[] large = Fresh(random, 1_600_000);

        var cases = new (byte[] Basis, byte[] New, int Block, string Name)[]
        {
            ([], [], 512, "empty to empty"),
            ([], [7], 512, "empty to one byte"),
            ([7], [], 512, "one byte to empty"),
            ([7], [7], 512, "one byte unchanged"),
            (block[..100], [.. block[..100], .. block[..100]], 512, "short file doubled"),
            (zeros, zeros, 512, "all zero unchanged"),
            (zeros, zeros[..12_345], 1024, "all zero truncated"),
            (zeros, [.. zeros, .. zeros[..777]], 2048, "all zero grown"),
            ([.. block, .. block, .. block], [.. block[..300], .. block, .. block, .. block[..500]], 1024, "repeated blocks"),
            ([.. block, .. block], [.. block, .. block], 512, "repeated halves"),
            (someRandom, [.. someRandom[..50_000], .. new byte[90_000], .. someRandom[50_000..]], 2048, "long literal run of zeros"),
            (someRandom[..70_000], [.. Fresh(random, 100_000), .. someRandom[..70_000]], 512, "long random prefix"),
            (someRandom, Fresh(random, 200_000), 1024, "rewritten"),
            // Runs of matches far longer than the delta's input buffer, broken by edits on and off
            // block boundaries: the strong sums hashed eight windows ahead must survive each refill.
            (large, [.. large[..400_000], .. Fresh(random, 3), .. large[400_000..1_000_000], .. large[1_000_003..1_300_000],
                .. Fresh(random, 2048), .. large[1_302_048..]], 2048, "long runs across buffer refills"),
        };

        foreach (var (basis, changed, blockLength, name) in cases)
        {
            Compare(basis, changed, blockLength, random, name);
        }
    }

    [Test]
    public void LowEntropyDataWithWeakSumCollisionsMatchesRdiff()
    {
        // Two-symbol data makes many windows share weak sums while strong sums differ.
        var random = new Random(4242);
        for (int i = 0; i < 8; i++)
        {
            byte[] basis = new byte[random.Next(1000, 40_000)];
            for (int j = 0; j < basis.Length; j++)
            {
                basis[j] = (byte)(random.Next(2) * 3);
            }

            byte[] changed = Edit(random, basis, 512);
            Compare(basis, changed, 512, random, $"low entropy {i}");
        }
    }

    private void Compare(byte[] basis, byte[] changed, int blockLength, Random random, string name)
    {
        string basisPath = Path.Combine(_directory, "basis");
        string newPath = Path.Combine(_directory, "new");
        string sigPath = Path.Combine(_directory, "sig");
        string deltaPath = Path.Combine(_directory, "delta");
        string ourDeltaPath = Path.Combine(_directory, "our-delta");
        string patchedPath = Path.Combine(_directory, "patched");
        File.WriteAllBytes(basisPath, basis);
        File.WriteAllBytes(newPath, changed);

        RdiffTool.Signature(basisPath, sigPath, blockLength);
        byte[] ourSignature = MakeSignature(basis, blockLength, random);
        Assert.That(ourSignature, Is.EqualTo(File.ReadAllBytes(sigPath)), $"{name}: signature");

        RdiffTool.Delta(sigPath, newPath, deltaPath);
        byte[] ourDelta = MakeDelta(ourSignature, changed, random);
        Assert.That(ourDelta, Is.EqualTo(File.ReadAllBytes(deltaPath)), $"{name}: delta");

        Assert.That(Patch(basis, ourDelta), Is.EqualTo(changed), $"{name}: our patch");
        File.WriteAllBytes(ourDeltaPath, ourDelta);
        RdiffTool.Patch(basisPath, ourDeltaPath, patchedPath);
        Assert.That(File.ReadAllBytes(patchedPath), Is.EqualTo(changed), $"{name}: rdiff patch");
    }

    private static byte[] Fresh(Random random, int length)
    {
        byte[] data = new byte[length];
        random.NextBytes(data);
        return data;
    }

    private static byte[] MakeBasis(Random random, int blockLength)
    {
        int length = random.Next(6) switch
        {
            0 => random.Next(0, 4),
            1 => random.Next(1, blockLength),
            2 => blockLength + random.Next(-1, 2),
            3 => random.Next(blockLength, 8 * blockLength),
            _ => random.Next(8 * blockLength, 200_000),
        };

        switch (random.Next(5))
        {
            case 0:
                return new byte[length];
            case 1:
                // A few distinct blocks repeated in random order.
                byte[][] pieces = [Fresh(random, blockLength), Fresh(random, blockLength), Fresh(random, blockLength)];
                byte[] repeated = new byte[length];
                for (int pos = 0; pos < length; pos += blockLength)
                {
                    pieces[random.Next(pieces.Length)].AsSpan(0, Math.Min(blockLength, length - pos)).CopyTo(repeated.AsSpan(pos));
                }

                return repeated;
            default:
                return Fresh(random, length);
        }
    }

    private static byte[] Edit(Random random, byte[] basis, int blockLength)
    {
        var data = new List<byte>(basis);
        int edits = random.Next(0, 6);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(0, data.Count + 1);
            int size = random.Next(2) == 0 ? random.Next(1, 20) : random.Next(1, 3 * blockLength);
            switch (random.Next(6))
            {
                case 0:
                    data.InsertRange(at, Fresh(random, size));
                    break;
                case 1:
                    data.RemoveRange(Math.Min(at, data.Count), Math.Min(size, data.Count - Math.Min(at, data.Count)));
                    break;
                case 2:
                    byte[] patch = Fresh(random, size);
                    for (int k = 0; k < patch.Length && at + k < data.Count; k++)
                    {
                        data[at + k] = patch[k];
                    }

                    break;
                case 3:
                    data.AddRange(Fresh(random, size));
                    break;
                case 4:
                    // Copy an existing stretch elsewhere (moved/duplicated content).
                    int from = random.Next(0, data.Count + 1);
                    int take = Math.Min(size, data.Count - from);
                    data.InsertRange(at, data.GetRange(from, take));
                    break;
                default:
                    data.RemoveRange(Math.Min(at, data.Count), data.Count - Math.Min(at, data.Count));
                    break;
            }
        }

        return data.ToArray();
    }
}
