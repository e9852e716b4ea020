using Duplicity.Archive.Signatures;
using Duplicity.Files;
using Duplicity.Rsync;

namespace Duplicity.Tests.Fuzzing.Targets;

/// <summary>
/// <see cref="CombinedSignatureReader"/> over the input alone and merged with a valid archive (before
/// and after it), each winning signature parsed and metadata decoded. Contract:
/// <see cref="ArchiveCorruptException"/> only; entries come out in strictly increasing index order.
/// </summary>
internal sealed class CombinedSignatureTarget : FuzzTarget
{
    private static readonly Lazy<byte[]> Valid = new(() =>
        File.ReadAllBytes(Path.Combine(FuzzRunner.SeedDirectory("combined-signature"), "small-pax.tar")));

    public override string Name => "combined-signature";

    public override string Contract => "ArchiveCorruptException";

    public override bool IsExpected(Exception error) => error is ArchiveCorruptException;

    public override IReadOnlyList<byte[]> Dictionary { get; } =
        ["signature/"u8.ToArray(), "deleted/"u8.ToArray(), "snapshot/"u8.ToArray(), "diff/"u8.ToArray(), "ustar\0"u8.ToArray(), [0x72, 0x73, 0x01, 0x36]];

    public override byte[] MutateStructure(byte[] input, Random random) => TarFields.MutateNumber(input, random);

    public override byte[] Fixup(byte[] input, Random random) => TarFields.FixChecksums(input, random);

    public override void Execute(byte[] input, FuzzBudget budget)
    {
        Merge([input], budget);
        Merge([Valid.Value, input], budget);
        Merge([input, Valid.Value], budget);
    }

    private static void Merge(byte[][] archives, FuzzBudget budget)
    {
        using var reader = new CombinedSignatureReader(archives.Select(a => (Stream)new MeteredStream(a, budget)));
        IndexPath? previous = null;
        while (reader.Next() is { } entry)
        {
            if (previous is { } p && p.CompareTo(entry.Index) >= 0)
                throw new FuzzInvariantException($"entry {entry.Index} after {p}");
            previous = entry.Index;
            // Signatures are parsed while the archive streams by: a damaged one surfaces from Next().
            _ = entry.Signature;
            try
            {
                _ = entry.Metadata;
            }
            catch (ArchiveCorruptException)
            {
                // a hard link or unknown type: refused, as documented
            }
        }
    }
}
