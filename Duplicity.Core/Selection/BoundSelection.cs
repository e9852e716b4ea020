using System.Text.RegularExpressions;
using Duplicity.Files;

namespace Duplicity.Selection;

/// <summary>A <see cref="FileSelection"/> bound to one source directory: decides each entry of the walk.</summary>
public sealed class BoundSelection
{
    // Compiling pays off on long walks, but not for thousands of filelist lines.
    private const int CompileLimit = 16;

    private readonly SelectionFunction[] _functions;
    private readonly string _pathPrefix;

    private BoundSelection(string rootText, SelectionFunction[] functions)
    {
        RootText = rootText;
        _pathPrefix = rootText == "/" ? "/" : rootText + "/";
        _functions = functions;
    }

    /// <summary>The canonical source root as text, the start of every path the rules see.</summary>
    public string RootText { get; }

    /// <summary>The decision function to hand to the source tree walker.</summary>
    public Func<SourceEntry, SelectionDecision> Predicate => Decide;

    internal IReadOnlyList<SelectionFunction> Functions => _functions;

    /// <summary>Decides one entry below the root: the first rule that includes or excludes wins; an include
    /// rule's "scan" is remembered; with no decision at all the entry is included.</summary>
    public SelectionDecision Decide(SourceEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string text = _pathPrefix + PathText.Decode(entry.Index.Bytes);
        return Decide(new SelectionCandidate(text, entry.Metadata.Type, entry));
    }

    /// <summary>Decides a path given as its full text (root + "/" + relative path), for pattern-only use.</summary>
    internal SelectionDecision Decide(string fullPathText, FileEntryType type) =>
        Decide(new SelectionCandidate(fullPathText, type, null));

    private SelectionDecision Decide(in SelectionCandidate candidate)
    {
        if (_functions.Length == 0) return SelectionDecision.Include;
        bool scan = false;
        var result = RuleVerdict.None;
        foreach (var function in _functions)
        {
            result = function.Evaluate(candidate);
            if (result == RuleVerdict.Scan) scan = true;
            else if (result != RuleVerdict.None) break;
        }
        if (scan && result != RuleVerdict.Include) return SelectionDecision.Scan;
        return result == RuleVerdict.Exclude ? SelectionDecision.Exclude : SelectionDecision.Include;
    }

    internal static BoundSelection Create(FileSelection selection, ReadOnlySpan<byte> sourceRoot)
    {
        byte[] root = PathText.CanonicalRoot(sourceRoot);
        string rootText = PathText.Decode(root);
        bool rootExists = FileLayer.Current.TryLstat(root, out var rootStat);
        bool rootIsDirectory = rootExists && rootStat.IsDirectory;
        var options = selection.Rules.Count <= CompileLimit ? RegexOptions.Compiled : RegexOptions.None;

        var functions = new List<SelectionFunction>();
        foreach (var rule in selection.Rules)
        {
            switch (rule)
            {
                case GlobRule g:
                    functions.Add(GlobFunction.Create(g.Glob, g.Include, rootText, rootIsDirectory, options));
                    break;
                case RegexRule r:
                    functions.Add(new RegexFunction(r.Pattern, r.Include, options));
                    break;
                case FilelistRule f:
                    foreach (var (glob, include) in Filelist.Lines(f.Text, f.IncludeByDefault, selection.NullSeparator))
                        functions.Add(GlobFunction.Create(glob, include, rootText, rootIsDirectory));
                    break;
                case ExcludeIfPresentRule p:
                    functions.Insert(0, new ExcludeIfPresentFunction(p.FileName));
                    break;
                case DeviceFilesRule:
                    functions.Insert(0, new DeviceFilesFunction());
                    break;
                case OtherFilesystemsRule:
                    functions.Add(new OtherFilesystemsFunction(rootExists ? rootStat.DeviceId : 0));
                    break;
                case OlderThanRule o:
                    functions.Add(new OlderThanFunction(o.EpochSeconds));
                    break;
            }
        }
        if (functions.Count > 0 && !functions[^1].CanExclude)
        {
            throw new DuplicityException(DuplicityErrorCode.RedundantInclusion,
                "Last selection expression:\n    " + functions[^1].Name +
                "\nonly specifies that files be included.  Because the default is to\ninclude all files, the expression is redundant.  Exiting because this\nprobably isn't what you meant.");
        }
        return new BoundSelection(rootText, functions.ToArray());
    }
}
