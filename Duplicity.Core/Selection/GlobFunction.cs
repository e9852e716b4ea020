using System.Text;
using System.Text.RegularExpressions;
using Duplicity.Files;

namespace Duplicity.Selection;

/// <summary>
/// An --include/--exclude glob (or a filelist line). A path matches when it matches the glob or lies
/// inside a directory that does; a trailing <c>/</c> makes an exact match count only for directories.
/// Include globs also answer "scan" for directories matching a leading part of the glob (up to the
/// first <c>**</c>), so that files deeper down can still be reached.
/// </summary>
internal sealed class GlobFunction : SelectionFunction
{
    private readonly bool _include;
    private readonly bool _directoriesOnly;
    private readonly GlobMatcher _matcher;

    private GlobFunction(string glob, bool include, bool ignoreCase, RegexOptions extra, string rootText)
    {
        _include = include;
        if (glob.Length == 0)
            throw new DuplicityException(DuplicityErrorCode.Unexpected, "An empty glob is not allowed (duplicity fails with an IndexError).");
        if (glob == "/")
        {
            glob = "/**";
        }
        else if (glob[^1] == '/')
        {
            _directoriesOnly = true;
            glob = glob[..^1];
        }

        int doubleStar = glob.IndexOf("**", StringComparison.Ordinal);
        string scanGlob = doubleStar >= 0 ? glob[..(doubleStar + 2)] : glob;
        string[] parts = scanGlob.Split('/');
        for (int k = 1; k < parts.Length - 1; k++)
        {
            if (parts[k].Length == 0)
                throw new SelectionPatternException(DuplicityErrorCode.GlobbingError, scanGlob, rootText);
        }
        var prefixes = new string[parts.Length];
        for (int k = 0; k < parts.Length; k++)
        {
            prefixes[k] = string.Join('/', parts, 0, k + 1);
            if (k == 0 && prefixes[k].Length == 0) prefixes[k] = "/"; // the root "/" is the one directory ending in '/'
        }
        _matcher = !ignoreCase && glob.AsSpan().IndexOfAny("*?[") < 0
            ? new LiteralMatcher(glob, prefixes)
            : new RegexMatcher(glob, prefixes, ignoreCase, extra);
    }

    /// <summary>The glob as given (with any <c>ignorecase:</c> prefix).</summary>
    public string Glob { get; private init; } = "";

    public override string Name => $"Command-line {(_include ? "include" : "exclude")} glob: {Glob}";

    public override bool CanExclude => !_include;

    /// <summary>
    /// Builds the function for a source root, failing (<see cref="SelectionPatternException"/>) when
    /// the glob cannot match anything under it (14) or has <c>//</c> (15).
    /// </summary>
    public static SelectionFunction Create(string glob, bool include, string rootText, bool rootIsDirectory, RegexOptions extra = RegexOptions.None)
    {
        if (glob == "**") return new MatchEverything(include, glob);
        string pattern = glob;
        bool ignoreCase = false;
        if (pattern.StartsWith("ignorecase:", StringComparison.OrdinalIgnoreCase))
        {
            // duplicity lowercases the rest, and checks the root against it case-sensitively.
            pattern = pattern["ignorecase:".Length..].ToLowerInvariant();
            ignoreCase = true;
        }
        var probe = new GlobFunction(pattern, include: true, ignoreCase: false, RegexOptions.None, rootText);
        var rootCandidate = new SelectionCandidate(rootText, rootIsDirectory ? FileEntryType.Directory : FileEntryType.Regular, null);
        if (probe.Evaluate(rootCandidate) == RuleVerdict.None)
            throw new SelectionPatternException(DuplicityErrorCode.FilePrefixError, pattern, rootText);
        return new GlobFunction(pattern, include, ignoreCase, extra, rootText) { Glob = glob };
    }

    public override RuleVerdict Evaluate(in SelectionCandidate candidate)
    {
        string text = candidate.Text;
        if (_matcher.Matches(text))
        {
            if (!_directoriesOnly || !_matcher.MatchesExactly(text) || candidate.IsDirectory)
                return _include ? RuleVerdict.Include : RuleVerdict.Exclude;
            return RuleVerdict.None; // an exact match of "dir/" that is not a directory
        }
        return _include && _matcher.MatchesPrefix(text) ? RuleVerdict.Scan : RuleVerdict.None;
    }

    /// <summary>The three questions asked of a glob: matches (or is inside a match), matches exactly, matches a leading part.</summary>
    private abstract class GlobMatcher
    {
        public abstract bool Matches(string text);
        public abstract bool MatchesExactly(string text);
        public abstract bool MatchesPrefix(string text);
    }

    private sealed class RegexMatcher : GlobMatcher
    {
        private readonly Regex _match;
        private readonly Regex _exact;
        private readonly Regex _prefix;

        public RegexMatcher(string glob, string[] prefixes, bool ignoreCase, RegexOptions extra)
        {
            var options = RegexOptions.Singleline | RegexOptions.CultureInvariant | extra;
            if (ignoreCase) options |= RegexOptions.IgnoreCase;
            string body = GlobTranslator.ToRegex(glob);
            _match = new Regex("^" + body + "(?:$|/)", options);
            _exact = new Regex("^" + body + "$", options);
            var scan = new StringBuilder("^(?:");
            for (int k = 0; k < prefixes.Length; k++)
            {
                if (k > 0) scan.Append('|');
                GlobTranslator.Append(scan, prefixes[k]);
            }
            scan.Append(")$");
            _prefix = new Regex(scan.ToString(), options);
        }

        public override bool Matches(string text) => _match.IsMatch(text);
        public override bool MatchesExactly(string text) => _exact.IsMatch(text);
        public override bool MatchesPrefix(string text) => _prefix.IsMatch(text);
    }

    /// <summary>
    /// A glob without wildcards (most filelist lines), compared as text. Python's <c>$</c> also
    /// matches before one final newline, which the comparisons allow for.
    /// </summary>
    private sealed class LiteralMatcher(string glob, string[] prefixes) : GlobMatcher
    {
        private readonly HashSet<string> _prefixes = new(prefixes, StringComparer.Ordinal);

        public override bool Matches(string text) =>
            text.StartsWith(glob, StringComparison.Ordinal) &&
            (text.Length == glob.Length || text[glob.Length] == '/' || (text.Length == glob.Length + 1 && text[^1] == '\n'));

        public override bool MatchesExactly(string text) =>
            text.StartsWith(glob, StringComparison.Ordinal) && (text.Length == glob.Length || (text.Length == glob.Length + 1 && text[^1] == '\n'));

        public override bool MatchesPrefix(string text) =>
            _prefixes.Contains(text) || (text.EndsWith('\n') && _prefixes.Contains(text[..^1]));
    }

    /// <summary>The glob <c>**</c>: decides every path, with no prefix check.</summary>
    private sealed class MatchEverything(bool include, string glob) : SelectionFunction
    {
        public override string Name => $"Command-line {(include ? "include" : "exclude")} glob: {glob}";
        public override bool CanExclude => !include;
        public override RuleVerdict Evaluate(in SelectionCandidate candidate) => include ? RuleVerdict.Include : RuleVerdict.Exclude;
    }
}
