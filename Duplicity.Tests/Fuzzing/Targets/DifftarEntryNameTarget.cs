using Duplicity.Archive.Tar;

namespace Duplicity.Tests.Fuzzing.Targets;

/// <summary>
/// <see cref="DifftarEntryName.Parse"/>; an accepted name must format back to a name that parses the
/// same. Contract: <see cref="ArchiveCorruptException"/> only.
/// </summary>
internal sealed class DifftarEntryNameTarget : FuzzTarget
{
    public override string Name => "difftar-name";

    public override string Contract => "ArchiveCorruptException";

    public override bool IsExpected(Exception error) => error is ArchiveCorruptException;

    public override IReadOnlyList<byte[]> Dictionary { get; } =
        ["/"u8.ToArray(), "./"u8.ToArray(), "../"u8.ToArray(), "//"u8.ToArray(), "multivol_diff/"u8.ToArray(), "multivol_snapshot/"u8.ToArray(),
         "deleted/"u8.ToArray(), "signature/"u8.ToArray(), "\0"u8.ToArray(), "/2147483648"u8.ToArray(), "/-1"u8.ToArray()];

    public override byte[] MutateStructure(byte[] input, Random random) => DigitRuns.Replace(input, random);

    public override void Execute(byte[] input, FuzzBudget budget)
    {
        DifftarEntryName name = DifftarEntryName.Parse(input);
        if (name.ChunkNumber < 0 || (!name.IsMultivol && name.ChunkNumber != 0))
            throw new FuzzInvariantException($"chunk number {name.ChunkNumber} for kind {name.Kind}");
        foreach (bool directory in (bool[])[false, true])
        {
            foreach (bool signatures in (bool[])[false, true])
            {
                byte[] formatted = name.Format(directory, signatures);
                DifftarEntryName again = DifftarEntryName.Parse(formatted);
                if (again != name)
                    throw new FuzzInvariantException($"{name} formats as \"{System.Text.Encoding.UTF8.GetString(formatted)}\", which parses as {again}");
            }
        }
    }
}
