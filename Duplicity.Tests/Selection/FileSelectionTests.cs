using System.Text;
using Duplicity.Files;
using Duplicity.Selection;
using Duplicity.Tests.Files;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Selection;

[Category("Unit")]
public class FileSelectionTests
{
    private static SelectionDecision Decide(FileSelection s, string path, bool dir = false) =>
        s.Bind("/nonexistent-root-for-tests/src").Decide("/nonexistent-root-for-tests/src/" + path, dir ? FileEntryType.Directory : FileEntryType.Regular);

    private static FileSelection Rules(params string[] args) =>
        FileSelection.Parse(args.Select(a => a.Replace("$R", "/nonexistent-root-for-tests/src")));

    private static List<string> Walk(byte[] root, FileSelection selection)
    {
        var bound = selection.Bind(root);
        return new SourceTreeWalker(root, bound.Predicate)
            .Select(e => e.Index.IsRoot ? "." : Encoding.UTF8.GetString(e.Index.Bytes)).ToList();
    }

    [TestCase("src", "src")]
    [TestCase("./src/", "src")]
    [TestCase("src//a/./b/", "src/a/b")]
    [TestCase(".", ".")]
    [TestCase("./", ".")]
    [TestCase("/", "/")]
    [TestCase("//x//", "/x")]
    [TestCase("../x", "../x")]
    public void CanonicalisesTheSourceRootLikeDuplicity(string given, string expected) =>
        Assert.That(Encoding.UTF8.GetString(PathText.CanonicalRoot(Encoding.UTF8.GetBytes(given))), Is.EqualTo(expected));

    [Test]
    public void DecodesInvalidUtf8WithSurrogateEscape()
    {
        Assert.That(PathText.Decode("a\u00e9"u8), Is.EqualTo("a\u00e9"));
        Assert.That(PathText.Decode([0x61, 0xff, 0xe2, 0x82, 0x41]), Is.EqualTo("a\udcff\udce2\udc82A"));
        Assert.That(PathText.Decode([0xed, 0xa0, 0x80]), Is.EqualTo("\udced\udca0\udc80"), "encoded surrogates are invalid");
        Assert.That(PathText.Decode([0xf0, 0x9f, 0x98, 0x80]), Is.EqualTo("\U0001F600"));
        Assert.That(PathText.Encode("a\udcff\U0001F600"), Is.EqualTo(new byte[] { 0x61, 0xff, 0xf0, 0x9f, 0x98, 0x80 }));
    }

    [Test]
    public void FirstMatchWinsAndScanIsRemembered()
    {
        var s = Rules("--include", "$R/a/*/x.py", "--exclude", "$R/a", "--exclude", "$R/q");
        Assert.That(Decide(s, "a", dir: true), Is.EqualTo(SelectionDecision.Scan), "scan beats a later exclude");
        Assert.That(Decide(s, "a/b", dir: true), Is.EqualTo(SelectionDecision.Scan));
        Assert.That(Decide(s, "a/b/x.py"), Is.EqualTo(SelectionDecision.Include));
        Assert.That(Decide(s, "a/b/y.py"), Is.EqualTo(SelectionDecision.Exclude));
        Assert.That(Decide(s, "a/b/c", dir: true), Is.EqualTo(SelectionDecision.Exclude), "deeper than the glob: no scan");
        Assert.That(Decide(s, "z"), Is.EqualTo(SelectionDecision.Include));
    }

    [Test]
    public void DefaultIsIncludeAndScanWithoutDecisionStaysScan()
    {
        Assert.That(Decide(new FileSelection(), "anything"), Is.EqualTo(SelectionDecision.Include));
        var s = Rules("--include", "$R/d/**/x", "--exclude", "$R/other");
        Assert.That(Decide(s, "d", dir: true), Is.EqualTo(SelectionDecision.Scan));
        Assert.That(Decide(s, "d/q/r", dir: true), Is.EqualTo(SelectionDecision.Scan), "** scans every directory below");
        Assert.That(Decide(s, "e"), Is.EqualTo(SelectionDecision.Include));
    }

    [Test]
    public void TrailingSlashRestrictsExactMatchesToDirectories()
    {
        var s = new FileSelection().Exclude("/nonexistent-root-for-tests/src/*/");
        Assert.That(Decide(s, "a", dir: true), Is.EqualTo(SelectionDecision.Exclude));
        Assert.That(Decide(s, "a"), Is.EqualTo(SelectionDecision.Include));
        Assert.That(Decide(s, "a/b"), Is.EqualTo(SelectionDecision.Exclude), "inside a matching directory");
    }

    [Test]
    public void ExcludeIfPresentAndDeviceFilesGoFirstLastGivenFirst()
    {
        var bound = Rules("--exclude", "$R/x", "--exclude-if-present", "A", "--exclude-regexp", "y", "--exclude-device-files",
            "--exclude-if-present", "B").Bind("/nonexistent-root-for-tests/src");
        Assert.That(bound.Functions.Select(f => f.Name), Is.EqualTo(new[]
        {
            "Command-line exclude-if-present filename: B", "Exclude device files", "Command-line exclude-if-present filename: A",
            "Command-line exclude glob: /nonexistent-root-for-tests/src/x", "Regular expression: y",
        }));
    }

    [Test]
    public void ParsesBothOptionFormsAndFilelists()
    {
        using var tmp = new TempFolder();
        var list = tmp.Sub("list");
        File.WriteAllText(list, "  # comment\n\n+ \"$R/keep\"\n- '$R/drop'\n$R/plain\n'\n".Replace("$R", "/nonexistent-root-for-tests/src"));
        var s = FileSelection.Parse(["--exclude-filelist=" + list, "--exclude", "**"]);
        Assert.That(s.Bind("/nonexistent-root-for-tests/src").Functions.Select(f => f.Name), Is.EqualTo(new[]
        {
            "Command-line include glob: /nonexistent-root-for-tests/src/keep",
            "Command-line exclude glob: /nonexistent-root-for-tests/src/drop",
            "Command-line exclude glob: /nonexistent-root-for-tests/src/plain",
            "Command-line exclude glob: **",
        }).AsCollection, "a lone quote becomes empty and is skipped");
        Assert.That(Decide(s, "keep"), Is.EqualTo(SelectionDecision.Include));
        Assert.That(Decide(s, "drop"), Is.EqualTo(SelectionDecision.Exclude));
        Assert.That(Decide(s, "plain/x"), Is.EqualTo(SelectionDecision.Exclude));
    }

    [Test]
    public void NullSeparatorSplitsFilelistsOnNul()
    {
        var text = "/nonexistent-root-for-tests/src/a\n/b\0- /nonexistent-root-for-tests/src/c\0";
        var s = new FileSelection { NullSeparator = true }.AddFilelistText(text, includeByDefault: false);
        Assert.That(Decide(s, "a\n/b"), Is.EqualTo(SelectionDecision.Exclude), "the newline is part of the name");
        Assert.That(Decide(s, "c"), Is.EqualTo(SelectionDecision.Exclude));
        Assert.That(Decide(s, "a"), Is.EqualTo(SelectionDecision.Include));
    }

    [Test]
    public void FilelistLinesAreSanitisedLikeDuplicity()
    {
        Assert.That(Filelist.Sanitise("  \t ", true), Is.Null);
        Assert.That(Filelist.Sanitise("# x", true), Is.Null);
        Assert.That(Filelist.Sanitise(" \u001f+ 'a b' ", false), Is.EqualTo(("a b", true)), "Python strips U+001F too");
        Assert.That(Filelist.Sanitise("- \"x\"", true), Is.EqualTo(("x", false)));
        Assert.That(Filelist.Sanitise("+x", false), Is.EqualTo(("+x", false)), "the marker needs its space");
        Assert.That(Filelist.Sanitise("'a\"", true), Is.EqualTo(("'a\"", true)), "mismatched quotes stay");
        Assert.That(Filelist.Sanitise("''x''", true), Is.EqualTo(("'x'", true)), "only one pair is removed");
    }

    [Test]
    public void ErrorsCarryDuplicityCodes()
    {
        Assert.That(() => Rules("--exclude", "/elsewhere").Bind("/nonexistent-root-for-tests/src"),
            Throws.TypeOf<SelectionPatternException>().With.Property("Code").EqualTo(DuplicityErrorCode.FilePrefixError)
                .And.Property("Pattern").EqualTo("/elsewhere").And.Property("BaseDirectory").EqualTo("/nonexistent-root-for-tests/src"));
        Assert.That(() => Rules("--exclude", "$R//a").Bind("/nonexistent-root-for-tests/src"),
            Throws.TypeOf<SelectionPatternException>().With.Property("Code").EqualTo(DuplicityErrorCode.GlobbingError)
                .And.Property("Pattern").EqualTo("/nonexistent-root-for-tests/src//a"));
        Assert.That(() => Rules("--include", "$R/a").Bind("/nonexistent-root-for-tests/src"),
            Throws.TypeOf<DuplicityException>().With.Property("Code").EqualTo(DuplicityErrorCode.RedundantInclusion)
                .And.Message.StartsWith("Last selection expression:\n    Command-line include glob: "));
        Assert.That(() => FileSelection.Parse(["--exclude-filelist", "/nonexistent/list"]),
            Throws.TypeOf<DuplicityException>().With.Property("Code").EqualTo(DuplicityErrorCode.CannotOpenFilelist)
                .And.Message.EqualTo("Error opening file /nonexistent/list"));
        Assert.That(() => FileSelection.Parse(["--exclude"]),
            Throws.TypeOf<DuplicityException>().With.Property("Code").EqualTo(DuplicityErrorCode.CommandLine));
        Assert.That(() => FileSelection.Parse(["--exclude-device-files=1"]),
            Throws.TypeOf<DuplicityException>().With.Property("Code").EqualTo(DuplicityErrorCode.CommandLine));
        Assert.That(() => FileSelection.Parse(["--bogus"]),
            Throws.TypeOf<DuplicityException>().With.Property("Code").EqualTo(DuplicityErrorCode.CommandLine));
        Assert.That(() => FileSelection.Parse(["--exclude-older-than", "soon"]),
            Throws.TypeOf<DuplicityException>().With.Property("Code").EqualTo(DuplicityErrorCode.CommandLine));
        Assert.That(() => Rules("--exclude-regexp", "(").Bind("/x"),
            Throws.TypeOf<DuplicityException>().With.Property("Code").EqualTo(DuplicityErrorCode.Unexpected));
    }

    [Test]
    public void IgnoreCasePrefixCheckIsCaseSensitiveOnTheLoweredGlob()
    {
        // duplicity lowercases the glob and then checks it against the root as is.
        Assert.That(() => new FileSelection().Exclude("ignorecase:/Nonexistent/Src/a").Bind("/Nonexistent/Src"),
            Throws.TypeOf<SelectionPatternException>().With.Property("Code").EqualTo(DuplicityErrorCode.FilePrefixError)
                .And.Property("Pattern").EqualTo("/nonexistent/src/a"));
        var s = new FileSelection().Exclude("ignorecase:/NONEXISTENT-root-for-tests/SRC/A*");
        Assert.That(Decide(s, "aBc"), Is.EqualTo(SelectionDecision.Exclude));
    }

    [Test]
    public void ExcludeOlderThanUsesTheGivenClock()
    {
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        using var tree = new ScratchTree();
        tree.File("old");
        tree.File("new");
        tree.Dir("olddir");
        File.SetLastWriteTimeUtc(Encoding.UTF8.GetString(tree.PathOf("old")), DateTimeOffset.FromUnixTimeSeconds(1_699_827_199).UtcDateTime);
        File.SetLastWriteTimeUtc(Encoding.UTF8.GetString(tree.PathOf("new")), DateTimeOffset.FromUnixTimeSeconds(1_699_827_200).UtcDateTime);
        Directory.SetLastWriteTimeUtc(Encoding.UTF8.GetString(tree.PathOf("olddir")), new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var s = FileSelection.Parse(["--exclude-older-than", "2D"], clock);
        Assert.That(Walk(tree.Root, s), Is.EqualTo(new[] { ".", "new", "olddir" }), "directories are never too old");
    }

    [Test]
    public void ExcludeIfPresentDeviceFilesAndOtherFilesystems()
    {
        using var tree = new ScratchTree();
        tree.Dir("a");
        tree.File("a/.nobackup");
        tree.File("a/f");
        tree.Dir("b");
        tree.File("b/.nobackup2");
        Posix.Mkfifo(tree.PathOf("fifo"), 0x1A4);
        bool root = Posix.GetEffectiveUserId() == 0;
        if (root) Posix.Mknod(tree.PathOf("dev"), FileEntryType.CharacterDevice, 0x1A4, 1, 3);

        var s = new FileSelection().ExcludeIfPresent(".nobackup").ExcludeDeviceFiles();
        Assert.That(Walk(tree.Root, s), Is.EqualTo(new[] { ".", "b", "b/.nobackup2", "fifo" }));

        Assert.That(Walk(tree.Root, new FileSelection().ExcludeOtherFilesystems()), Has.Count.EqualTo(root ? 8 : 7), "all on one file system");
        var other = new OtherFilesystemsFunction(rootDevice: ulong.MaxValue);
        var entry = new SourceTreeWalker(tree.Root).First(e => !e.Index.IsRoot);
        Assert.That(other.Evaluate(new SelectionCandidate("x", entry.Metadata.Type, entry)), Is.EqualTo(RuleVerdict.Exclude));
    }

    [Test]
    public void StarMatchesNamesThatAreNotUtf8()
    {
        using var tree = new ScratchTree();
        tree.File([0x61, 0xff, 0x62]);
        tree.File("a\u00e9b");
        tree.File("c");
        string root = Encoding.UTF8.GetString(tree.Root);
        var s = new FileSelection().Exclude(root + "/a?b");
        var kept = new SourceTreeWalker(tree.Root, s.Bind(tree.Root).Predicate).Select(e => e.Index.Bytes.ToArray()).ToList();
        Assert.That(kept.Select(b => Convert.ToHexString(b)), Is.EqualTo(new[] { "", "63" }), "? matches one escaped byte and one é");
        var t = new FileSelection().Include(root + "/a*").Exclude("**");
        Assert.That(new SourceTreeWalker(tree.Root, t.Bind(tree.Root).Predicate).Count(), Is.EqualTo(3));
    }

    [Test]
    public void ScannedDirectoriesAppearOnlyBeforeIncludedDescendants()
    {
        using var tree = new ScratchTree();
        tree.Dir("a");
        tree.Dir("a/b");
        tree.File("a/b/x.py");
        tree.Dir("e");
        tree.Dir("e/f");
        tree.File("e/f/y.txt");
        string root = Encoding.UTF8.GetString(tree.Root);
        var s = new FileSelection().Include(root + "/**/*.py").Exclude("**");
        Assert.That(Walk(tree.Root, s), Is.EqualTo(new[] { ".", "a", "a/b", "a/b/x.py" }));
    }

    [Test]
    public void ExpandsFileArgumentsLikeDuplicity()
    {
        string home = Environment.GetEnvironmentVariable("HOME")!;
        Assert.That(FileSelection.ExpandFileName("~/x"), Is.EqualTo(home.TrimEnd('/') + "/x"));
        Assert.That(FileSelection.ExpandFileName("$HOME/y"), Is.EqualTo(home + "/y"));
        Assert.That(FileSelection.ExpandFileName("${HOME}z"), Is.EqualTo(home + "z"));
        Assert.That(FileSelection.ExpandFileName("$NO_SUCH_VARIABLE_X/y"), Is.EqualTo("$NO_SUCH_VARIABLE_X/y"));
        Assert.That(FileSelection.ExpandFileName("~user/y"), Is.EqualTo("~user/y"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
