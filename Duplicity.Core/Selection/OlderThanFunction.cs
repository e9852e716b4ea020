using Duplicity.Files;

namespace Duplicity.Selection;

/// <summary>--exclude-older-than: excludes regular files modified before a time.</summary>
internal sealed class OlderThanFunction(long epochSeconds) : SelectionFunction
{
    public override string Name => $"Select older than {epochSeconds}";

    public override bool CanExclude => true;

    // duplicity compares the float mtime with a whole second, which is the same as comparing whole seconds.
    public override RuleVerdict Evaluate(in SelectionCandidate candidate) =>
        candidate.Type == FileEntryType.Regular && candidate.Entry is { } entry && entry.Stat.MTimeSeconds < epochSeconds
            ? RuleVerdict.Exclude
            : RuleVerdict.None;
}
