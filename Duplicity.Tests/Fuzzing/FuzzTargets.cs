using Duplicity.Tests.Fuzzing.Targets;

namespace Duplicity.Tests.Fuzzing;

/// <summary>Every fuzz target by name, and how many inputs each gets in the CI pass (cheap parsers get more).</summary>
internal static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Func<FuzzTarget>> All = new Dictionary<string, Func<FuzzTarget>>
    {
        ["tar"] = () => new TarTarget(),
        ["difftar-name"] = () => new DifftarEntryNameTarget(),
        ["remote-name"] = () => new RemoteFileNameTarget(),
        ["manifest"] = () => new ManifestTarget(),
        ["signature"] = () => new SignatureTarget(),
        ["combined-signature"] = () => new CombinedSignatureTarget(),
        ["delta"] = () => new DeltaTarget(),
        ["openpgp"] = () => new OpenPgpTarget(),
        ["openpgp-inner"] = () => new OpenPgpInnerTarget(),
        ["known-hosts"] = () => new KnownHostsTarget(),
        ["backend-url"] = () => new BackendUrlTarget(),
    };

    /// <summary>Inputs per target in the CI pass, sized so the whole pass takes about a minute on 2 shared cores.</summary>
    public static readonly IReadOnlyDictionary<string, int> CiIterations = new Dictionary<string, int>
    {
        ["tar"] = 4000,
        ["difftar-name"] = 5000,
        ["remote-name"] = 3000,
        ["manifest"] = 4000,
        ["signature"] = 4000,
        ["combined-signature"] = 3000,
        ["delta"] = 4000,
        ["openpgp"] = 3000,
        ["openpgp-inner"] = 3000,
        ["known-hosts"] = 4000,
        ["backend-url"] = 5000,
    };
}
