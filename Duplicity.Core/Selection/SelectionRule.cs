namespace Duplicity.Selection;

/// <summary>One selection option as given, before it is bound to a source root.</summary>
internal abstract record SelectionRule
{
    /// <summary>--exclude-if-present and --exclude-device-files go to the front of the list.</summary>
    public virtual bool GoesFirst => false;
}

internal sealed record GlobRule(string Glob, bool Include) : SelectionRule;

internal sealed record RegexRule(string Pattern, bool Include) : SelectionRule;

/// <summary>A filelist's whole text, split into lines only when bound (the separator is a global option).</summary>
internal sealed record FilelistRule(string Name, string Text, bool IncludeByDefault) : SelectionRule;

internal sealed record ExcludeIfPresentRule(string FileName) : SelectionRule
{
    public override bool GoesFirst => true;
}

internal sealed record DeviceFilesRule : SelectionRule
{
    public override bool GoesFirst => true;
}

internal sealed record OtherFilesystemsRule : SelectionRule;

internal sealed record OlderThanRule(long EpochSeconds) : SelectionRule;
