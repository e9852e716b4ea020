using System.Net.Sockets;
using System.Text;
using Duplicity.Files;
using Duplicity.Selection;
using Duplicity.Tests.Files;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Selection;

[Category("Unit")]
public class SourceTreeWalkerTests
{
    private static bool IsRoot => Posix.GetEffectiveUserId() == 0;

    private static List<string> Walk(SourceTreeWalker walker) => walker.Select(e => Show(e.Index)).ToList();

    // Shows raw bytes unambiguously: printable ASCII as is, anything else as \xNN.
    private static string Show(IndexPath index)
    {
        if (index.IsRoot) return ".";
        var sb = new StringBuilder();
        foreach (byte b in index.Bytes) sb.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}");
        return sb.ToString();
    }

    [Test]
    public void WalksInDuplicityIndexOrderWithRawNames()
    {
        using var tree = new ScratchTree();
        tree.Dir("a");
        tree.File("a/b");
        tree.File("a-b");
        tree.File("Z");
        tree.File("\u00e9");
        tree.File([0xff]);
        tree.Dir("empty");
        Posix.Symlink("a"u8, tree.PathOf("link"));
        Posix.Mkfifo(tree.PathOf("pipe"), 0x1A4);
        if (IsRoot) Posix.Mknod(tree.PathOf("dev"), FileEntryType.CharacterDevice, 0x1A4, 1, 3);

        var walker = new SourceTreeWalker(tree.Root);
        var expected = new List<string> { ".", "Z", "a", "a/b", "a-b", "empty", "link", "pipe", "\\xc3\\xa9", "\\xff" };
        if (IsRoot) expected.Insert(5, "dev");
        Assert.That(Walk(walker), Is.EqualTo(expected));

        var entries = walker.ToList();
        Assert.That(entries.Select(e => e.Index), Is.Ordered, "IndexPath order agrees with the walk");
        var link = entries.Single(e => Show(e.Index) == "link");
        Assert.That(link.Metadata.Type, Is.EqualTo(FileEntryType.Symlink));
        Assert.That(link.Metadata.LinkTarget, Is.EqualTo("a"u8.ToArray()));
        Assert.That(entries.Single(e => Show(e.Index) == "pipe").Metadata.Type, Is.EqualTo(FileEntryType.Fifo));
        Assert.That(entries.Single(e => Show(e.Index) == "\\xff").FullPath, Is.EqualTo(tree.PathOf([0xff])));
        Assert.That(entries[0].Index.IsRoot && entries[0].IsDirectory, Is.True);
        if (IsRoot)
        {
            var dev = entries.Single(e => Show(e.Index) == "dev").Metadata;
            Assert.That((dev.Type, dev.DeviceMajor, dev.DeviceMinor), Is.EqualTo((FileEntryType.CharacterDevice, 1, 3)));
        }
    }

    [Test]
    public void SocketsAreSkippedAndReported()
    {
        using var tree = new ScratchTree();
        tree.File("f");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Encoding.UTF8.GetString(tree.PathOf("sock"))));
        var problems = new List<SourceWalkProblem>();
        var walker = new SourceTreeWalker(tree.Root, onProblem: problems.Add);
        Assert.That(Walk(walker), Is.EqualTo(new[] { ".", "f" }));
        Assert.That(problems.Single().Kind, Is.EqualTo(SourceWalkProblemKind.SkippedSocket));
        Assert.That(Show(problems.Single().Index), Is.EqualTo("sock"));
        Assert.That(walker.ErrorCount, Is.Zero, "a socket is not an error");
    }

    [Test]
    public void SymlinksToDirectoriesAreNotFollowed()
    {
        using var tree = new ScratchTree();
        tree.Dir("real");
        tree.File("real/x");
        Posix.Symlink(tree.PathOf("real"), tree.PathOf("alias"));
        Assert.That(Walk(new SourceTreeWalker(tree.Root)), Is.EqualTo(new[] { ".", "alias", "real", "real/x" }));
    }

    [Test]
    public void DeepTreesAndLongNames()
    {
        using var tree = new ScratchTree();
        var relative = new StringBuilder();
        for (int i = 0; i < 200; i++)
        {
            if (i > 0) relative.Append('/');
            relative.Append('d');
            tree.Dir(relative.ToString());
        }
        string longName = new('n', 255);
        tree.File(relative + "/" + longName);
        var entries = new SourceTreeWalker(tree.Root).ToList();
        Assert.That(entries, Has.Count.EqualTo(202));
        Assert.That(entries[^1].Index.Depth, Is.EqualTo(201));
        Assert.That(entries[^1].Index.Name.Length, Is.EqualTo(255));
        Assert.That(entries[^1].Metadata.Size, Is.EqualTo(1));
    }

    [Test]
    public void RootThatIsAFileIsTheOnlyEntry()
    {
        using var tree = new ScratchTree();
        var file = tree.File("only", "abc");
        var entries = new SourceTreeWalker(file).ToList();
        Assert.That(entries.Single().Index.IsRoot, Is.True);
        Assert.That(entries.Single().Metadata.Size, Is.EqualTo(3));
    }

    [Test]
    public void MissingRootIsReportedNotThrown()
    {
        using var tree = new ScratchTree();
        var problems = new List<SourceWalkProblem>();
        Assert.That(new SourceTreeWalker(tree.PathOf("nope"), onProblem: problems.Add).ToList(), Is.Empty);
        Assert.That(problems.Single().Kind, Is.EqualTo(SourceWalkProblemKind.RootMissing));
    }

    [Test]
    public void ScannedDirectoriesAppearOnlyBeforeAnIncludedDescendant()
    {
        using var tree = new ScratchTree();
        tree.Dir("a");
        tree.Dir("a/b");
        tree.File("a/b/keep");
        tree.File("a/b/drop");
        tree.Dir("a/c");
        tree.File("a/c/drop");
        tree.Dir("e");
        tree.File("e/keep2");
        tree.File("top");
        SelectionDecision Select(SourceEntry e) =>
            e.IsDirectory ? SelectionDecision.Scan
            : e.Index.Name.StartsWith("keep"u8) ? SelectionDecision.Include
            : SelectionDecision.Exclude;
        Assert.That(Walk(new SourceTreeWalker(tree.Root, Select)),
            Is.EqualTo(new[] { ".", "a", "a/b", "a/b/keep", "e", "e/keep2" }));
    }

    [Test]
    public void ExcludedDirectoriesAreNotEntered()
    {
        using var tree = new ScratchTree();
        tree.Dir("skip");
        tree.File("skip/x");
        tree.File("y");
        var asked = new List<string>();
        SelectionDecision Select(SourceEntry e)
        {
            asked.Add(Show(e.Index));
            return Show(e.Index) == "skip" ? SelectionDecision.Exclude : SelectionDecision.Include;
        }
        Assert.That(Walk(new SourceTreeWalker(tree.Root, Select)), Is.EqualTo(new[] { ".", "y" }));
        Assert.That(asked, Is.EqualTo(new[] { "skip", "y" }), "the root is not asked; skip/x is never seen");
    }

    [Test]
    public void EntriesThatVanishAreSkipped()
    {
        using var tree = new ScratchTree();
        tree.File("a");
        var b = tree.File("b");
        tree.File("c");
        var problems = new List<SourceWalkProblem>();
        SelectionDecision Select(SourceEntry e)
        {
            if (Show(e.Index) == "a") Posix.Unlink(b);
            return SelectionDecision.Include;
        }
        Assert.That(Walk(new SourceTreeWalker(tree.Root, Select, problems.Add)), Is.EqualTo(new[] { ".", "a", "c" }));
        Assert.That(problems.Single().Kind, Is.EqualTo(SourceWalkProblemKind.Vanished));
    }

    [Test]
    public void DirectoriesAreListedOnlyWhenReached()
    {
        using var tree = new ScratchTree();
        tree.File("a");
        tree.Dir("z");
        var seen = new List<string>();
        foreach (var entry in new SourceTreeWalker(tree.Root))
        {
            seen.Add(Show(entry.Index));
            if (Show(entry.Index) == "a") tree.File("z/late");
        }
        Assert.That(seen, Is.EqualTo(new[] { ".", "a", "z", "z/late" }));
    }

    /// <summary>Root reads everything, so CI backs up through the console run as nobody instead.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static async Task UnreadableEntriesAreCountedForAnOrdinaryUserAsync()
    {
        using var tmp = new TempFolder();
        var home = tmp.Sub("home");
        var src = tmp.Sub("src");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(Path.Combine(src, "locked"));
        File.WriteAllText(Path.Combine(src, "locked", "x"), "x");
        File.WriteAllText(Path.Combine(src, "ok"), "ok");
        await OrdinaryUser.OwnAsync(home);
        await OrdinaryUser.OwnAsync(src);
        File.SetUnixFileMode(Path.Combine(src, "locked"), UnixFileMode.None);
        string[] common = ["--no-encryption", "--archive-dir", Path.Combine(home, "cache")];
        var url = "file://" + Path.Combine(home, "remote");

        var backup = await OrdinaryUser.RunConsoleAsync(home, ["full", .. common, src, url]);
        Assert.That(backup.ExitCode, Is.EqualTo(0), backup.StandardOutput + backup.StandardError);
        Assert.That(backup.StandardOutput, Does.Match(@"(?m)^Errors 1$"), "the unreadable folder is counted once");
        var list = await OrdinaryUser.RunConsoleAsync(home, ["list-current-files", .. common, url]);
        Assert.That(list.ExitCode, Is.EqualTo(0), list.StandardError);
        Assert.That(list.StandardOutput, Does.Match(@"(?m) ok$"));
        Assert.That(list.StandardOutput, Does.Not.Contain("locked"));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task UnreadableEntriesAreReportedAndCounted()
    {
        if (IsRoot)
        {
            await UnreadableEntriesAreCountedForAnOrdinaryUserAsync();
            return;
        }
        using var tree = new ScratchTree();
        var locked = tree.Dir("locked");
        tree.File("locked/x");
        tree.File("ok");
        Posix.Chmod(locked, 0);
        var problems = new List<SourceWalkProblem>();
        var walker = new SourceTreeWalker(tree.Root, onProblem: problems.Add);
        Assert.That(Walk(walker), Is.EqualTo(new[] { ".", "ok" }));
        Assert.That(problems.Single().Kind, Is.EqualTo(SourceWalkProblemKind.Unreadable));
        Assert.That(walker.ErrorCount, Is.EqualTo(1));
    }
}
