using Duplicity.Files;

namespace Duplicity.Selection;

/// <summary>What one selection function says about a path.</summary>
internal enum RuleVerdict
{
    /// <summary>Nothing to say; the next function is asked.</summary>
    None,
    Exclude,
    Include,
    /// <summary>An include pattern could match below this directory.</summary>
    Scan,
}

/// <summary>A path being selected: its matching text and what the walker knows about it.</summary>
/// <param name="Text">The full path string rules match against (canonical root + "/" + index).</param>
/// <param name="Type">The entry's type.</param>
/// <param name="Entry">The walker's entry (null in pure pattern tests).</param>
internal readonly record struct SelectionCandidate(string Text, FileEntryType Type, SourceEntry? Entry)
{
    public bool IsDirectory => Type == FileEntryType.Directory;
}

/// <summary>One of duplicity's selection functions, bound to a source root.</summary>
internal abstract class SelectionFunction
{
    /// <summary>duplicity's description, shown in the redundant-inclusion error.</summary>
    public abstract string Name { get; }

    /// <summary>False for functions that can only include (not allowed last).</summary>
    public abstract bool CanExclude { get; }

    public abstract RuleVerdict Evaluate(in SelectionCandidate candidate);
}
