using System.Text;
using System.Text.RegularExpressions;
using Duplicity.Files;
using Duplicity.Samples.Output;
using Duplicity.Selection;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Selection;

/// <summary>
/// The real duplicity backs up a tree with each rule set, its list-current-files is compared with
/// what our walker + FileSelection select; error cases compare exit codes. Source is the relative
/// "src" (so globs read like the spec's) with the temporary folder as working directory.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public partial class SelectionInteropTests
{
    private static readonly string[] Files =
    [
        "a/x.py", "a/b/y.py", "a/b/z.txt", "c/w.PY", "top.txt", "skip/.nobackup", "skip/s.txt",
        "d/e/f/deep.txt", "d/e/keep.py", "d/h.txt", "sp ace/x.txt", "br[ack]et.txt", "q1.txt", "q22.txt",
        "old/old.txt", "old/new.txt", "e\u00e9/f.txt", "E\u00c9/F.TXT", "n\u00fcll/x.py",
    ];

    private static readonly string[][] RuleSets =
    [
        ["--include", "**/*.py", "--exclude", "**"],
        ["--include", "ignorecase:src/**/*.py", "--exclude", "**"],
        ["--exclude-if-present", ".nobackup", "--exclude", "src/a/b"],
        ["--exclude-filelist", "{F1}"],
        ["--include", "src/d/e/keep.py", "--exclude", "src/d/e", "--include", "src/d", "--exclude", "**"],
        ["--exclude", "src/[a-c]", "--exclude", "src/q?.txt", "--include", "src/br[[]ack]et.txt", "--exclude", "src/*.txt"],
        ["--include", "src/a/", "--include", "src/top.txt/", "--include", "src/d/*/", "--exclude", "**"],
        ["--include-filelist", "{F2}", "--exclude", "**"],
        ["--exclude-regexp", "\\.txt$", "--include-regexp", "^src/[ad]", "--exclude-regexp", "."],
        ["--exclude-device-files", "--exclude", "src/skip"],
        ["--exclude-older-than", "2010-01-01", "--exclude", "src/a"],
        ["--null-separator", "--exclude-filelist", "{F3}"],
        ["--include-globbing-filelist={F4}", "--exclude=**"],
        ["--exclude-other-filesystems", "--exclude", "ignorecase:src/e?/*.txt", "--exclude", "src/[!a-d]*/*.py"],
        ["--include", "src/*/b", "--exclude", "src/*/*", "--include", "**/?.py", "--exclude", "src/[^s]*"],
        ["--exclude", "src/r?w.txt", "--include", "src/r*/*", "--exclude", "src/r*"],
        ["--exclude-if-present", "deep.txt", "--exclude", "src/**/*.txt", "--include", "src/sp ace", "--exclude-device-files", "--exclude", "src/old"],
    ];

    private static readonly (string[] Args, int Code)[] ErrorCases =
    [
        (["--exclude", "other/a"], 14),
        (["--include", "ignorecase:SRC/**"], 16),
        (["--exclude", "/abs/src"], 14),
        (["--exclude", "src//a"], 15),
        (["--include", "src/a"], 16),
        (["--exclude", "**", "--include-regexp", "x"], 16),
        (["--exclude-filelist", "/nonexistent/list"], 7),
        (["--exclude-regexp", "("], 30),
        (["--exclude", "src/[z-a]"], 30),
        (["--exclude-older-than", "bogus"], 2),
        (["--exclude-filelist", "{F5}"], 14),
        (["--exclude", "**", "--include", "src/a", "--exclude-device-files"], 16),
    ];

    private static void BuildTree(string root)
    {
        foreach (var f in Files)
        {
            var full = Path.Combine(root, "src", f);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, f);
        }
        Directory.CreateDirectory(Path.Combine(root, "src", "d", "e", "g"));
        File.SetLastWriteTimeUtc(Path.Combine(root, "src", "old", "old.txt"), new DateTime(2001, 2, 3, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(Path.Combine(root, "src", "a", "x.py"), new DateTime(2005, 2, 3, 0, 0, 0, DateTimeKind.Utc));
        Posix.Mkfifo(Encoding.UTF8.GetBytes(Path.Combine(root, "src", "pipe")), 0x1A4);
        // Names that are not UTF-8 (duplicity matches them surrogate-escaped).
        byte[] src = Encoding.UTF8.GetBytes(Path.Combine(root, "src"));
        Posix.CreateExclusive(LocalFile.Join(src, [(byte)'r', 0xff, (byte)'w', (byte)'.', (byte)'t', (byte)'x', (byte)'t']), 0x1A4).Dispose();
        Posix.Mkdir(LocalFile.Join(src, [(byte)'r', 0xfe]), 0x1ED);
        Posix.CreateExclusive(LocalFile.Join(src, [(byte)'r', 0xfe, (byte)'/', (byte)'x', (byte)'.', (byte)'p', (byte)'y']), 0x1A4).Dispose();
        if (Posix.GetEffectiveUserId() == 0)
            Posix.Mknod(Encoding.UTF8.GetBytes(Path.Combine(root, "src", "d", "null0")), FileEntryType.CharacterDevice, 0x1A4, 1, 3);

        File.WriteAllText(Path.Combine(root, "F1"), "+ src/a/b/y.py\n- src/a/b\n# comment\nsrc/c\n");
        File.WriteAllText(Path.Combine(root, "F2"), "\"src/a/b/y.py\"\r\n- src/a/b\r\n'src/c'\n# x\n\n   src/d/**  \n+ src/sp ace/\n- **\n");
        File.WriteAllText(Path.Combine(root, "F3"), "src/a/b\0- src/c/w.PY\0+ src/skip/s.txt\0src/skip\0\0src/old/old.txt\0");
        File.WriteAllText(Path.Combine(root, "F4"), "src/d\n- src/a/b/z.txt\nsrc/a\n");
        File.WriteAllText(Path.Combine(root, "F5"), "src/a\nelsewhere/b\n");
    }

    private static string[] Substitute(string[] args, string root) =>
        args.Select(a => FileToken().Replace(a, m => Path.Combine(root, m.Groups[1].Value))).ToArray();

    [Test]
    public async Task SelectedFilesMatchDuplicity()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        BuildTree(tmp.Path);

        using var gate = new SemaphoreSlim(2);
        var runs = RuleSets.Select((rules, i) => Task.Run(async () =>
        {
            await gate.WaitAsync();
            try
            {
                return await DuplicityBackupListAsync(tmp.Path, i, Substitute(rules, tmp.Path));
            }
            finally
            {
                gate.Release();
            }
        })).ToArray();

        var ours = RuleSets.Select(rules => OurSelection(tmp.Path, Substitute(rules, tmp.Path))).ToArray();
        var theirs = await Task.WhenAll(runs);
        var failures = new List<string>();
        for (int i = 0; i < RuleSets.Length; i++)
        {
            if (!ours[i].SequenceEqual(theirs[i]))
                failures.Add($"{string.Join(' ', RuleSets[i])}\n  duplicity: {string.Join(' ', theirs[i])}\n  ours:      {string.Join(' ', ours[i])}");
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        // The spec's observed table (4.3), as a guard that the tree and parsing are what we think.
        Assert.That(theirs[0], Is.EqualTo(new[] { ".", "a", "a/b", "a/b/y.py", "a/x.py", "d", "d/e", "d/e/keep.py", "n\u00fcll", "n\u00fcll/x.py", "r\ufffd", "r\ufffd/x.py" }));
    }

    [Test]
    public async Task ErrorExitCodesMatchDuplicity()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        BuildTree(tmp.Path);
        using var gate = new SemaphoreSlim(2);
        var runs = ErrorCases.Select((c, i) => Task.Run(async () =>
        {
            await gate.WaitAsync();
            try
            {
                return await RunDuplicityAsync(Path.Combine(tmp.Path, $"earch{i}"),
                    ["full", "--no-encryption", .. Substitute(c.Args, tmp.Path), "src", $"file://{tmp.Path}/etarget{i}"],
                    tmp.Path);
            }
            finally
            {
                gate.Release();
            }
        })).ToArray();
        var results = await Task.WhenAll(runs);
        var failures = new List<string>();
        for (int i = 0; i < ErrorCases.Length; i++)
        {
            var (args, code) = ErrorCases[i];
            int ourCode = OurErrorCode(tmp.Path, Substitute(args, tmp.Path), out string ourMessage);
            if (results[i].ExitCode != code || ourCode != code)
                failures.Add($"{string.Join(' ', args)}: expected {code}, duplicity {results[i].ExitCode}, ours {ourCode}");
            if (code is 14 or 15 or 16 or 7)
            {
                string first = ourMessage.Split('\n')[0];
                if (!results[i].StandardError.Contains(first, StringComparison.Ordinal))
                    failures.Add($"{string.Join(' ', args)}: duplicity's message lacks our first line '{first}':\n{results[i].StandardError}");
                if (code != 7 && !results[i].StandardError.Contains(ourMessage, StringComparison.Ordinal))
                    failures.Add($"{string.Join(' ', args)}: message differs.\nours:\n{ourMessage}\nduplicity:\n{results[i].StandardError}");
            }
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    [Test]
    public async Task ExcludeOtherFilesystemsMatchesDuplicity()
    {
        ExternalTool.Require("duplicity");
        if (!Posix.TryLstat("/dev"u8, out var dev) || !Posix.TryLstat("/dev/shm"u8, out var shm) || dev.DeviceId == shm.DeviceId)
            Requirement.Missing("needs /dev/shm mounted apart from /dev");
        using var tmp = new TempFolder();
        string mine = "/dev/shm/dup-sel-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(mine);
        try
        {
            File.WriteAllText(mine + "/f", "x");
            string[][] ruleSets =
            [
                ["--exclude-other-filesystems", "--include", mine, "--include", "/dev/null", "--exclude", "**"],
                ["--include", mine, "--exclude-other-filesystems", "--include", "/dev/null", "--exclude", "**"],
            ];
            string name = mine["/dev/".Length..];
            string[][] expected = [[".", "null"], [".", "null", "shm", name, name + "/f"]];
            for (int i = 0; i < ruleSets.Length; i++)
            {
                var bound = FileSelection.Parse(ruleSets[i]).Bind("/dev");
                var ours = new SourceTreeWalker("/dev"u8, bound.Predicate)
                    .Select(e => e.Index.IsRoot ? "." : Encoding.UTF8.GetString(e.Index.Bytes)).ToList();
                var theirs = await DuplicityBackupListAsync(tmp.Path, i, [.. ruleSets[i]], "/dev");
                Assert.That(theirs, Is.EqualTo(expected[i]), "duplicity");
                Assert.That(ours, Is.EqualTo(theirs), "ours");
            }
        }
        finally
        {
            Directory.Delete(mine, recursive: true);
        }
    }

    private static int OurErrorCode(string root, string[] args, out string message)
    {
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = root;
        try
        {
            FileSelection.Parse(args).Bind("src");
            message = "";
            return 0;
        }
        catch (DuplicityException e)
        {
            message = ErrorWording.Text(e); // the console's words, which must be duplicity's
            return (int)e.Code;
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    private static List<string> OurSelection(string root, string[] args)
    {
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = root;
        try
        {
            var bound = FileSelection.Parse(args).Bind("src");
            var walker = new SourceTreeWalker("src"u8, bound.Predicate);
            return walker.Select(e => e.Index.IsRoot ? "." : Encoding.UTF8.GetString(e.Index.Bytes)).ToList();
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    private static async Task<List<string>> DuplicityBackupListAsync(string root, int n, string[] rules, string source = "src")
    {
        string archive = Path.Combine(root, $"arch{n}");
        string url = $"file://{root}/target{n}";
        (await RunDuplicityAsync(archive, ["full", "--no-encryption", .. rules, source, url], root)).EnsureSuccess();
        var list = (await RunDuplicityAsync(archive, ["list-current-files", url], root)).EnsureSuccess();
        var paths = new List<string>();
        foreach (var line in list.StandardOutput.Split('\n'))
        {
            var m = ListLine().Match(line);
            if (m.Success) paths.Add(m.Groups[1].Value);
        }
        return paths;
    }

    // Like DuplicityCli, but in a chosen working directory (the source is the relative "src").
    private static Task<ExternalTool.Result> RunDuplicityAsync(string archiveDir, string[] args, string workingDirectory) =>
        ExternalTool.RunAsync(ExternalTool.Require("duplicity"), [.. args, "--archive-dir", archiveDir],
            new Dictionary<string, string?> { ["PASSPHRASE"] = null }, workingDirectory, TimeSpan.FromMinutes(2));

    [GeneratedRegex(@"\{(F\d)\}")]
    private static partial Regex FileToken();

    [GeneratedRegex(@"^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} (.*)$")]
    private static partial Regex ListLine();
}
