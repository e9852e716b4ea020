using Duplicity.Archive.Tar;

namespace Duplicity.Tests.Fuzzing.Targets;

/// <summary>
/// <see cref="TarReader"/> and <see cref="TarHeaderParser"/> over a whole tar stream: every entry's data is
/// read, its metadata and difftar name decoded. Contract: <see cref="ArchiveCorruptException"/> only.
/// </summary>
internal sealed class TarTarget : FuzzTarget
{
    public override string Name => "tar";

    public override string Contract => "ArchiveCorruptException";

    public override bool IsExpected(Exception error) => error is ArchiveCorruptException;

    public override IReadOnlyList<byte[]> Dictionary { get; } =
        ["ustar\0"u8.ToArray(), "ustar  \0"u8.ToArray(), "././@LongLink"u8.ToArray(), " path="u8.ToArray(), " size="u8.ToArray(),
         " mtime="u8.ToArray(), " uid="u8.ToArray(), " linkpath="u8.ToArray(), "\n"u8.ToArray(), "snapshot/"u8.ToArray()];

    public override byte[] MutateStructure(byte[] input, Random random) =>
        random.Next(3) == 0 ? DigitRuns.Replace(input, random) : TarFields.MutateNumber(input, random);

    public override byte[] Fixup(byte[] input, Random random) => TarFields.FixChecksums(input, random);

    public override void Execute(byte[] input, FuzzBudget budget)
    {
        bool useAsync = input.Length % 2 == 1;
        using var reader = new TarReader(new MeteredStream(input, budget, shortReads: input.Length % 3 == 0));
        var buffer = new byte[4096];
        while ((useAsync ? reader.NextAsync().AsTask().GetAwaiter().GetResult() : reader.Next()) is { } header)
        {
            if (reader.DataRemaining != (TarTypeFlag.HasData(header.TypeFlag) ? header.Size : 0))
                throw new FuzzInvariantException($"data length {reader.DataRemaining} for an entry of size {header.Size}");
            // Read the first entry's data, skip the rest: both paths must hold up.
            if (reader.Position < 8192)
            {
                using var data = reader.OpenData();
                while (data.Read(buffer) > 0) budget.Check();
            }
            try
            {
                header.ToMetadata();
            }
            catch (ArchiveCorruptException)
            {
                // a hard link or unknown type: refused, as documented
            }
            try
            {
                DifftarEntryName.Parse(header.Name);
            }
            catch (ArchiveCorruptException)
            {
                // not a duplicity entry name
            }
        }
        if (reader.EntriesEnd is not { } end || end > reader.Position)
            throw new FuzzInvariantException($"the end of entries {reader.EntriesEnd} is not set or lies past the position {reader.Position}");
    }
}
