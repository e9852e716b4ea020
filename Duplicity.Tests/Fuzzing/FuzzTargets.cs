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
        ["tar"] = 8000,
        ["difftar-name"] = 20000,
        ["remote-name"] = 10000,
        ["manifest"] = 8000,
        ["signature"] = 15000,
        ["combined-signature"] = 5000,
        ["delta"] = 15000,
        ["openpgp"] = 3000,
        ["openpgp-inner"] = 4000,
        ["known-hosts"] = 8000,
        ["backend-url"] = 15000,
    };
}
