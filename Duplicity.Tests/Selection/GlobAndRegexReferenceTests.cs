using Duplicity.Tests.Support;
using static Duplicity.Tests.Selection.PythonSelectionReference;

namespace Duplicity.Tests.Selection;

/// <summary>Glob and regexp verdicts compared one by one with duplicity's own Python code.</summary>
[Category("Interop")]
public class GlobAndRegexReferenceTests
{
    private static readonly string[] Globs =
    [
        "src", "src/", "src/a", "src/a/", "src/a/x.py", "src/*", "src/*/", "src/a/*.py", "src/**/*.py", "**/*.py", "**.py",
        "src/**", "**", "src/a/b/", "src/?", "src/??", "src/[ab]", "src/[!ab]", "src/[^ab]", "src/[]a]", "src/[!]a]",
        "src/[a-c]/*", "src/[", "src/[a", "src/a]", "src/[\\]", "src/[a-]", "src/[-a]", "src/[--/]", "src/x[.]py",
        "ignorecase:SRC/A/*.PY", "ignorecase:src/c/*.py", "IGNORECASE:src/C", "src/c/*.PY", "src//a", "src/**//a",
        "other/a", "/abs", "s*", "s*/a", "src/a*", "src/*/b/*.txt", "src/é*", "src/?.txt", "src/\U0001F600", "src/?",
        "src/[\U0001F600x]", "src/[!\U0001F600]", "src/ü[a-z]", "src/.*", "src/a+b", "src/(x)", "src/$", "src/^a",
        "src/a{1}", "src/a|b", "src/*/", "?rc/a", "[s]rc", "src/a\nb", "ignorecase:Src/a", "src/[[:alpha:]]", "src/[a-z-[aeiou]]",
        "src/[z-a]",
    ];

    private static readonly (string Path, bool Dir)[] Paths =
    [
        ("src/a", true), ("src/a", false), ("src/a/x.py", false), ("src/a/b", true), ("src/a/b/y.py", false),
        ("src/c/w.PY", false), ("src/C", true), ("src/top.txt", false), ("src/b", false), ("src/]", false), ("src/!", false),
        ("src/[", false), ("src/[a", false), ("src/\\", false), ("src/-", false), ("src/.", false), ("src/x.py", false),
        ("src/é1", false), ("src/\U0001F600", false), ("src/\U0001F600", true), ("src/x\U0001F600", false), ("src/\udcff", false),
        ("src/\udcff.txt", false), ("src/a\udc80b", true), ("src/üz", false), ("src/.hidden", false), ("src/a+b", false),
        ("src/(x)", false), ("src/$", false), ("src/^a", false), ("src/a{1}", false), ("src/a", true), ("src/a|b", false),
        ("src/a\nb", false), ("src/a\n", true), ("src/A/X.PY", false), ("src/:", false), ("src/e", false), ("src/e-", false),
        ("src/b/c/d", true), ("src/ab", true), ("src/x", false),
    ];

    private static readonly string[] Regexes =
    [
        "x", "\\.py$", "^src/a", "a/b", "(?i)\\.PY$", "\\.py\\Z", "(?P<n>a)/(?P=n)", "(a)/\\1", "a{,1}x", "a{,}", "a{x", "{1}",
        "[[]", "[]a]", "[a-z-[aeiou]]", "\\s", "\\S+$", "\\x61", "\\u00e9", "\\U0001F600", "^.{5}$", "^src/.$", "\\d", "\\w+\\.txt",
        "(?:a|b)/", "(?=a)", "(?<=/)y", "(?<!/)y", "\\101", "\\0", "[\\b]", "\\bw", "(?x) a / b", "(?s).", "\\p", "\\e", "(?<n>a)",
        "a++", "(", "[", "(?a)\\w", "(?u)a", "\U0001F600+$", "\\$", "é",
    ];

    [Test]
    public async Task GlobVerdictsMatchDuplicity()
    {
        using var tmp = new TempFolder();
        Directory.CreateDirectory(tmp.Sub("src"));
        var cases = new List<Case>();
        foreach (var g in Globs)
            foreach (var (p, d) in Paths)
                foreach (bool inc in new[] { true, false })
                    cases.Add(new Case("glob", g, inc, p, d));
        // The reference runs with the working directory's "src" as root, so the root text is "src".
        var previous = Environment.CurrentDirectory;
        List<string> expected;
        Environment.CurrentDirectory = tmp.Path;
        try
        {
            expected = await RunAsync("src", cases);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
        Compare(cases, expected, c => Ours(c, "src", rootIsDirectory: true));
    }

    [Test]
    public async Task RegexVerdictsMatchPythonSearch()
    {
        using var tmp = new TempFolder();
        var cases = new List<Case>();
        foreach (var r in Regexes)
            foreach (var (p, d) in Paths)
                cases.Add(new Case("regex", r, true, p, d));
        var expected = await RunAsync(tmp.Path, cases);
        Compare(cases, expected, c => Ours(c, "src", rootIsDirectory: true), allowOursToRefuse: true);
    }

    private static void Compare(List<Case> cases, List<string> expected, Func<Case, string> ours, bool allowOursToRefuse = false)
    {
        Assert.That(expected, Has.Count.EqualTo(cases.Count));
        // The reference must really have answered (not e.g. errored on every case).
        Assert.That(expected.Distinct().Count(), Is.GreaterThanOrEqualTo(3), string.Join(",", expected.Distinct()));
        TestContext.Out.WriteLine(string.Join(", ", expected.GroupBy(Normalise).Select(g => $"{g.Key}={g.Count()}")));
        var failures = new List<string>();
        int refused = 0;
        for (int i = 0; i < cases.Count; i++)
        {
            string want = Normalise(expected[i]);
            string got = ours(cases[i]);
            if (got == want) continue;
            // Python features .NET cannot express are refused by us with an error; count them apart.
            if (allowOursToRefuse && got == "error:other")
            {
                refused++;
                continue;
            }
            failures.Add($"{cases[i].Kind} {Show(cases[i].Pattern)} inc={cases[i].Include} path={Show(cases[i].Path)} dir={cases[i].IsDirectory}: python {want}, ours {got}");
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(40)));
        Assert.That(refused, Is.LessThanOrEqualTo(3 * Paths.Length), "too many patterns refused");
    }

    private static string Normalise(string r) =>
        r.StartsWith("error:", StringComparison.Ordinal) && r is not "error:FilePrefixError" and not "error:GlobbingError" ? "error:other" : r;

    private static string Show(string s) =>
        string.Concat(s.Select(ch => ch is >= ' ' and < '\u007f' ? ch.ToString() : $"\\u{(int)ch:x4}"));
}
