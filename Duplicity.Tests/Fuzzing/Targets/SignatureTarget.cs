using System.Buffers.Binary;
using Duplicity.Rsync;

namespace Duplicity.Tests.Fuzzing.Targets;

/// <summary>
/// <see cref="Signature.Parse"/> and the streaming <see cref="Signature.Read"/> (split reads), then the
/// weak-sum index. Contract: <see cref="ArchiveCorruptException"/> only; both readers agree.
/// </summary>
internal sealed class SignatureTarget : FuzzTarget
{
    private static readonly uint[] Extremes = [0, 1, 2, 8, 16, 17, 512, 1 << 24, (1 << 24) + 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF];

    public override string Name => "signature";

    public override string Contract => "ArchiveCorruptException";

    public override bool IsExpected(Exception error) => error is ArchiveCorruptException;

    public override IReadOnlyList<byte[]> Dictionary { get; } = [[0x72, 0x73, 0x01, 0x36], [0x72, 0x73, 0x02, 0x36], [0x72, 0x73, 0x01, 0x37]];

    /// <summary>Block length or strong-sum length set to an extreme.</summary>
    public override byte[] MutateStructure(byte[] input, Random random)
    {
        if (input.Length < 12) return input;
        var copy = (byte[])input.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(random.Next(2) == 0 ? 4 : 8), Extremes[random.Next(Extremes.Length)]);
        return copy;
    }

    public override void Execute(byte[] input, FuzzBudget budget)
    {
        Signature whole = Signature.Parse(input);
        budget.Check();
        Signature streamed = Signature.Read(new MeteredStream(input, budget, shortReads: true, seekable: input.Length % 2 == 0));
        if (whole.BlockCount != streamed.BlockCount || whole.BlockLength != streamed.BlockLength || whole.StrongLength != streamed.StrongLength)
            throw new FuzzInvariantException($"Parse and Read disagree: {whole.BlockCount}/{streamed.BlockCount} blocks");
        if (whole.BlockCount != (input.Length - 12) / (4 + whole.StrongLength))
            throw new FuzzInvariantException($"{whole.BlockCount} blocks from {input.Length} bytes");
        for (int block = 0; block < Math.Min(whole.BlockCount, 256); block++)
        {
            uint weak = whole.WeakSum(block);
            if (weak != streamed.WeakSum(block) || !whole.StrongSum(block).SequenceEqual(streamed.StrongSum(block)))
                throw new FuzzInvariantException($"Parse and Read disagree on block {block}");
            if (!whole.Index.MayContain(weak) || !whole.Index.Bucket(weak).Contains(block))
                throw new FuzzInvariantException($"the weak-sum index loses block {block}");
        }
    }
}
