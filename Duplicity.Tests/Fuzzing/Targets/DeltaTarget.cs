using Duplicity.Rsync;

namespace Duplicity.Tests.Fuzzing.Targets;

/// <summary>
/// <see cref="DeltaPatcher.ApplyAsync"/> against a fixed 4 KiB basis (the one the seed deltas were
/// made against with rdiff). Contract: <see cref="ArchiveCorruptException"/> only.
/// </summary>
internal sealed class DeltaTarget : FuzzTarget
{
    private static readonly Lazy<byte[]> Basis = new(() =>
        File.ReadAllBytes(Path.Combine(FuzzRunner.SeedDirectory("delta"), "..", "delta.basis")));

    private static readonly ulong[] Extremes = [0, 1, 4095, 4096, 4097, 0x7FFFFFFF, 0xFFFFFFFF, long.MaxValue, ulong.MaxValue];

    public override string Name => "delta";

    public override string Contract => "ArchiveCorruptException";

    public override bool IsExpected(Exception error) => error is ArchiveCorruptException;

    public override IReadOnlyList<byte[]> Dictionary { get; } = [[0x72, 0x73, 0x02, 0x36], [0x00], [0x40], [0x44], [0x45], [0x54], [0x55], [0xFF]];

    /// <summary>Inserts a literal or COPY command whose arguments are extremes.</summary>
    public override byte[] MutateStructure(byte[] input, Random random)
    {
        byte opcode = (byte)(0x41 + random.Next(0x54 - 0x41 + 1));
        int widths = opcode <= 0x44 ? 1 << (opcode - 0x41) : (1 << ((opcode - 0x45) >> 2)) + (1 << ((opcode - 0x45) & 3));
        var command = new byte[1 + widths];
        command[0] = opcode;
        ulong value = Extremes[random.Next(Extremes.Length)];
        for (int i = 1; i < command.Length; i++) command[i] = (byte)(value >> (8 * ((command.Length - 1 - i) % 8)));
        int at = input.Length < 4 ? input.Length : 4 + random.Next(input.Length - 3);
        return [.. input.AsSpan(0, at), .. command, .. input.AsSpan(at)];
    }

    public override void Execute(byte[] input, FuzzBudget budget)
    {
        using var basis = new MemoryStream(Basis.Value, writable: false);
        var output = new CountingSink(budget);
        DeltaPatcher.ApplyAsync(basis, new MeteredStream(input, budget, shortReads: input.Length % 2 == 0), output, CancellationToken.None)
            .GetAwaiter().GetResult();
    }
}
