using System.Text.RegularExpressions;

namespace Duplicity.Selection;

/// <summary>--include-regexp / --exclude-regexp: a Python regular expression searched anywhere in the full path string.</summary>
internal sealed class RegexFunction : SelectionFunction
{
    private readonly bool _include;
    private readonly string _pattern;
    private readonly Regex _regex;

    public RegexFunction(string pythonPattern, bool include, RegexOptions extra = RegexOptions.None)
    {
        _include = include;
        _pattern = pythonPattern;
        _regex = PythonRegexTranslator.Compile(pythonPattern, extra);
    }

    public override string Name => "Regular expression: " + _pattern;

    public override bool CanExclude => !_include;

    public override RuleVerdict Evaluate(in SelectionCandidate candidate) =>
        _regex.IsMatch(candidate.Text) ? (_include ? RuleVerdict.Include : RuleVerdict.Exclude) : RuleVerdict.None;
}
