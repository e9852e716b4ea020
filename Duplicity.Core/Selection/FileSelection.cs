namespace Duplicity.Selection;

/// <summary>
/// duplicity's file selection: an ordered list of include/exclude rules, built from duplicity's
/// command-line options (<see cref="Parse"/>) or fluently (<c>new FileSelection().Include("**/*.cs").Exclude("**")</c>).
/// <see cref="Bind(string)"/> ties the rules to a source directory and checks them as duplicity does.
/// </summary>
public sealed partial class FileSelection
{
    private readonly List<SelectionRule> _rules = [];

    /// <summary>Filelists are split on NUL instead of newline (duplicity's <c>--null-separator</c>).</summary>
    public bool NullSeparator { get; set; }

    /// <summary>The number of rules (a filelist counts once).</summary>
    public int Count => _rules.Count;

    internal IReadOnlyList<SelectionRule> Rules => _rules;

    /// <summary>Includes paths matching a glob (<c>--include</c>). An include must be followed by an exclude.</summary>
    public FileSelection Include(string glob) => Add(new GlobRule(Required(glob), Include: true));

    /// <summary>Excludes paths matching a glob (<c>--exclude</c>).</summary>
    public FileSelection Exclude(string glob) => Add(new GlobRule(Required(glob), Include: false));

    /// <summary>Includes paths in which a Python regular expression is found (<c>--include-regexp</c>).</summary>
    public FileSelection IncludeRegex(string pythonPattern) => Add(new RegexRule(Required(pythonPattern), Include: true));

    /// <summary>Excludes paths in which a Python regular expression is found (<c>--exclude-regexp</c>).</summary>
    public FileSelection ExcludeRegex(string pythonPattern) => Add(new RegexRule(Required(pythonPattern), Include: false));

    /// <summary>Adds the globs of a filelist whose unmarked lines include (<c>--include-filelist</c>); the file is read now.</summary>
    /// <exception cref="DuplicityException">Code 7 when the file cannot be opened.</exception>
    public FileSelection IncludeFilelist(string path) => Add(new FilelistRule(path, Filelist.Read(Required(path)), IncludeByDefault: true));

    /// <summary>Adds the globs of a filelist whose unmarked lines exclude (<c>--exclude-filelist</c>); the file is read now.</summary>
    /// <exception cref="DuplicityException">Code 7 when the file cannot be opened.</exception>
    public FileSelection ExcludeFilelist(string path) => Add(new FilelistRule(path, Filelist.Read(Required(path)), IncludeByDefault: false));

    /// <summary>Adds filelist lines given as text (one rule per line, <c>+ </c>/<c>- </c> prefixes honoured).</summary>
    public FileSelection AddFilelistText(string text, bool includeByDefault) =>
        Add(new FilelistRule("text", Required(text), includeByDefault));

    /// <summary>Excludes directories that contain an entry with this name (<c>--exclude-if-present</c>); tried before other rules.</summary>
    public FileSelection ExcludeIfPresent(string fileName) => Add(new ExcludeIfPresentRule(Required(fileName)));

    /// <summary>Excludes character and block devices (<c>--exclude-device-files</c>); tried before other rules.</summary>
    public FileSelection ExcludeDeviceFiles() => Add(new DeviceFilesRule());

    /// <summary>Excludes anything on another file system than the source root (<c>--exclude-other-filesystems</c>).</summary>
    public FileSelection ExcludeOtherFilesystems() => Add(new OtherFilesystemsRule());

    /// <summary>Excludes regular files modified before a time (<c>--exclude-older-than</c>).</summary>
    public FileSelection ExcludeOlderThan(long epochSeconds) => Add(new OlderThanRule(epochSeconds));

    /// <summary>Excludes regular files modified before a time (<c>--exclude-older-than</c>).</summary>
    public FileSelection ExcludeOlderThan(DateTimeOffset time) => ExcludeOlderThan(time.ToUnixTimeSeconds());

    /// <summary>
    /// Binds the rules to a source directory given as on duplicity's command line (it is canonicalised
    /// like duplicity: <c>./src/</c> becomes <c>src</c>, and globs must start with that text or <c>**</c>).
    /// </summary>
    /// <exception cref="DuplicityException">Code 14 when a glob cannot match under the source, 15 for
    /// <c>//</c> in a glob, 16 when the last rule only includes, 30 for an invalid pattern.</exception>
    public BoundSelection Bind(string sourceRoot) => Bind(PathText.Encode(Required(sourceRoot)));

    /// <summary>Binds the rules to a source directory given as raw path bytes.</summary>
    /// <exception cref="DuplicityException">As <see cref="Bind(string)"/>.</exception>
    public BoundSelection Bind(ReadOnlySpan<byte> sourceRoot) => BoundSelection.Create(this, sourceRoot);

    private FileSelection Add(SelectionRule rule)
    {
        _rules.Add(rule);
        return this;
    }

    private static string Required(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value;
    }
}
