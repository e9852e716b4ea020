namespace Duplicity.Selection;

/// <summary>--exclude-other-filesystems: excludes anything whose containing device differs from the source root's.</summary>
internal sealed class OtherFilesystemsFunction(ulong rootDevice) : SelectionFunction
{
    public override string Name => "Match other filesystems";

    public override bool CanExclude => true;

    public override RuleVerdict Evaluate(in SelectionCandidate candidate) =>
        candidate.Entry is { } entry && entry.Stat.DeviceId != rootDevice ? RuleVerdict.Exclude : RuleVerdict.None;
}
