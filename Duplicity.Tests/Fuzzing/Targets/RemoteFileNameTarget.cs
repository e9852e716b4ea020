using System.Text;
using Duplicity.Archive.Naming;

namespace Duplicity.Tests.Fuzzing.Targets;

/// <summary>
/// <see cref="RemoteFileName.TryParse"/> under long names, short names and prefixes. Contract: no
/// exception at all (a name that is not duplicity's gives null); a recognised name formats back to
/// a name recognised as the same file.
/// </summary>
internal sealed class RemoteFileNameTarget : FuzzTarget
{
    private static readonly FileNamingOptions[] Options =
    [
        FileNamingOptions.Default,
        new() { ShortFilenames = true },
        new() { FilePrefix = "pre-", ArchivePrefix = "a.", ManifestPrefix = "m.", SignaturePrefix = "s." },
        new() { TimeSeparator = '-' },
    ];

    // 1901-01-01 and 2100-01-01 UTC.
    private const long MinLongTime = -2177452800, MaxLongTime = 4102444800;

    public override string Name => "remote-name";

    public override string Contract => "none (null for names that are not duplicity's)";

    public override bool IsExpected(Exception error) => false;

    public override IReadOnlyList<byte[]> Dictionary { get; } =
        [".to."u8.ToArray(), ".vol"u8.ToArray(), ".difftar"u8.ToArray(), ".manifest"u8.ToArray(), ".sigtar"u8.ToArray(), ".part"u8.ToArray(),
         ".gpg"u8.ToArray(), ".gz"u8.ToArray(), ".dt"u8.ToArray(), ".st"u8.ToArray(), "T"u8.ToArray(), "Z"u8.ToArray(), ":"u8.ToArray(),
         "duplicity-full-signatures."u8.ToArray(), "duplicity-inc."u8.ToArray(), "pre-"u8.ToArray(), "zzzzzzzzzzzz"u8.ToArray()];

    public override byte[] MutateStructure(byte[] input, Random random) => DigitRuns.Replace(input, random);

    public override void Execute(byte[] input, FuzzBudget budget)
    {
        string name = Encoding.UTF8.GetString(input);
        foreach (var options in Options)
        {
            RemoteFileName? parsed = RemoteFileName.TryParse(name, options);
            if (parsed is null) continue;
            if (parsed.StartTime == 0 || parsed.EndTime == 0 || (parsed.IsVolume && parsed.VolumeNumber < 1))
                throw new FuzzInvariantException($"accepted {parsed} with a zero time or volume");
            // Short names carry any positive time; long names only years duplicity parses (1901-2099).
            if (parsed.StartTime > 0 && parsed.EndTime > 0) RoundTrip(parsed, options with { ShortFilenames = true });
            if (parsed.StartTime is >= MinLongTime and < MaxLongTime && parsed.EndTime is >= MinLongTime and < MaxLongTime)
                RoundTrip(parsed, options with { ShortFilenames = false });
        }
    }

    private static void RoundTrip(RemoteFileName parsed, FileNamingOptions options)
    {
        string formatted = parsed.Format(options);
        RemoteFileName? again = RemoteFileName.TryParse(formatted, options);
        if (again is null || again.Kind != parsed.Kind || again.StartTime != parsed.StartTime || again.EndTime != parsed.EndTime
            || again.VolumeNumber != parsed.VolumeNumber)
            throw new FuzzInvariantException($"{parsed} formats as \"{formatted}\", which parses as {again?.ToString() ?? "nothing"}");
    }
}
