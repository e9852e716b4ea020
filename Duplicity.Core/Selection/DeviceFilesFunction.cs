using Duplicity.Files;

namespace Duplicity.Selection;

/// <summary>--exclude-device-files: excludes character and block devices.</summary>
internal sealed class DeviceFilesFunction : SelectionFunction
{
    public override string Name => "Exclude device files";

    public override bool CanExclude => true;

    public override RuleVerdict Evaluate(in SelectionCandidate candidate) =>
        candidate.Type is FileEntryType.CharacterDevice or FileEntryType.BlockDevice ? RuleVerdict.Exclude : RuleVerdict.None;
}
