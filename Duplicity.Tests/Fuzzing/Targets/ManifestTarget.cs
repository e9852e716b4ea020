using Duplicity.Archive.Manifests;

namespace Duplicity.Tests.Fuzzing.Targets;

/// <summary>
/// <see cref="ManifestParser.Parse"/> with and without the Filelist. Contract:
/// <see cref="ArchiveCorruptException"/> only; a manifest read with its Filelist has the same volumes
/// as one read without.
/// </summary>
internal sealed class ManifestTarget : FuzzTarget
{
    public override string Name => "manifest";

    public override string Contract => "ArchiveCorruptException";

    public override bool IsExpected(Exception error) => error is ArchiveCorruptException;

    public override IReadOnlyList<byte[]> Dictionary { get; } =
        ["\nVolume 1:\n"u8.ToArray(), "\nvolume 2147483647:\n"u8.ToArray(), "    StartingPath   "u8.ToArray(), "    EndingPath     "u8.ToArray(),
         "    Hash SHA1 "u8.ToArray(), "\nFilelist 3\n"u8.ToArray(), "\nHostname "u8.ToArray(), "\nLocaldir "u8.ToArray(),
         "\""u8.ToArray(), "\\x"u8.ToArray(), "\\xff"u8.ToArray(), "\n"u8.ToArray(), "\t"u8.ToArray()];

    public override byte[] MutateStructure(byte[] input, Random random) => DigitRuns.Replace(input, random);

    public override void Execute(byte[] input, FuzzBudget budget)
    {
        Manifest without = ManifestParser.Parse(input, readFilelist: false);
        budget.Check();
        Manifest with = ManifestParser.Parse(input, readFilelist: true);
        if (!with.Volumes.Keys.SequenceEqual(without.Volumes.Keys))
            throw new FuzzInvariantException("the volumes differ depending on whether the Filelist is read");
        foreach (var (number, volume) in with.Volumes)
        {
            if (volume.Number != number) throw new FuzzInvariantException($"volume {volume.Number} filed under {number}");
        }
    }
}
