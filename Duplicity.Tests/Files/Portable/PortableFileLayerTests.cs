using System.Text;
using Duplicity.Files;

namespace Duplicity.Tests.Files.Portable;

/// <summary>The portable file layer against what Linux itself reports through the native one.</summary>
[Category("Unit")]
public class PortableFileLayerTests
{
    private static readonly PortableFileLayer Layer = FileLayer.Portable;
    private string _root = "";

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "dup-portable-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void TearDown() => Duplicity.IO.PrivateTreeRemover.Remove(B(_root)); // native: .NET cannot delete a name that is not UTF-8

    [Test]
    public void LstatAgreesWithTheNativeLayerOnTypeModeSizeAndTime()
    {
        var file = Path.Combine(_root, "f.txt");
        File.WriteAllText(file, "hello");
        File.SetUnixFileMode(file, (UnixFileMode)0x1E4); // 0744
        File.SetLastWriteTimeUtc(file, new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc));
        var dir = Directory.CreateDirectory(Path.Combine(_root, "d")).FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0x1E8); // 0750
        File.CreateSymbolicLink(Path.Combine(_root, "link"), "f.txt");
        File.CreateSymbolicLink(Path.Combine(_root, "dangling"), "/no/such/target");
        File.CreateSymbolicLink(Path.Combine(_root, "dirlink"), "d");

        foreach (var name in new[] { "f.txt", "d", "link", "dangling", "dirlink" })
        {
            var path = B(Path.Combine(_root, name));
            Assert.That(Layer.TryLstat(path, out var portable, out int errno), Is.True, name);
            Assert.That(errno, Is.Zero);
            var native = Posix.Lstat(path);
            Assert.Multiple(() =>
            {
                Assert.That(portable.EntryType, Is.EqualTo(native.EntryType), name);
                Assert.That(portable.Mode, Is.EqualTo(native.Mode), name);
                if (!native.IsSymlink) Assert.That(portable.MTimeSeconds, Is.EqualTo(native.MTimeSeconds), name);
                if (native.IsRegular) Assert.That(portable.Size, Is.EqualTo(native.Size), name);
                Assert.That((portable.Uid, portable.Gid), Is.EqualTo((0u, 0u)), "owners are unknown to the portable layer");
            });
        }
    }

    [Test]
    public void MissingObjectsAreEnoent()
    {
        Assert.That(Layer.TryLstat(B(Path.Combine(_root, "none")), out _, out int errno), Is.False);
        Assert.That(errno, Is.EqualTo(PosixException.ENOENT));
        Assert.That(Layer.TryStat(B(Path.Combine(_root, "none")), out _, out errno), Is.False);
        Assert.That(errno, Is.EqualTo(PosixException.ENOENT));
    }

    [Test]
    public void StatFollowsLinksAndLstatDoesNot()
    {
        Directory.CreateDirectory(Path.Combine(_root, "d"));
        File.CreateSymbolicLink(Path.Combine(_root, "dirlink"), "d");
        Assert.That(Layer.TryStat(B(Path.Combine(_root, "dirlink")), out var st, out _), Is.True);
        Assert.That(st.IsDirectory, Is.True);
        Assert.That(Layer.TryLstat(B(Path.Combine(_root, "dirlink")), out st, out _), Is.True);
        Assert.That(st.IsSymlink, Is.True);
    }

    [Test]
    public void ListsNamesButNeverThroughALink()
    {
        File.WriteAllText(Path.Combine(_root, "a"), "");
        File.WriteAllText(Path.Combine(_root, ".hidden"), "");
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        File.CreateSymbolicLink(Path.Combine(_root, "link"), "sub");
        var names = Layer.ReadDirectory(B(_root)).Select(Encoding.UTF8.GetString).Order(StringComparer.Ordinal);
        Assert.That(names, Is.EqualTo(new[] { ".hidden", "a", "link", "sub" }));
        var e = Assert.Throws<PosixException>(() => Layer.ReadDirectory(B(Path.Combine(_root, "link"))));
        Assert.That(e!.Errno, Is.EqualTo(PosixException.ELOOP));
        e = Assert.Throws<PosixException>(() => Layer.ReadDirectory(B(Path.Combine(_root, "a"))));
        Assert.That(e!.Errno, Is.EqualTo(PosixException.ENOTDIR));
    }

    [Test]
    public void MetadataHasLinkTargetsAndNoOwners()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "link"), "../some where/ü");
        var path = B(Path.Combine(_root, "link"));
        Layer.TryLstat(path, out var st, out _);
        var meta = Layer.ReadMetadata(path, st)!;
        Assert.Multiple(() =>
        {
            Assert.That(meta.Type, Is.EqualTo(FileEntryType.Symlink));
            Assert.That(meta.LinkTarget, Is.EqualTo(B("../some where/ü")));
            Assert.That((meta.Uid, meta.Gid, meta.UserName, meta.GroupName), Is.EqualTo((0L, 0L, (string?)null, (string?)null)));
        });
    }

    [Test]
    public void OpeningASourceFileReplacedByALinkIsRefused()
    {
        var file = Path.Combine(_root, "f");
        File.WriteAllText(file, "data");
        Layer.TryLstat(B(file), out var walked, out _);
        using (var handle = Layer.OpenSourceFile(B(file), walked))
        using (var stream = new FileStream(handle, FileAccess.Read))
            Assert.That(new StreamReader(stream).ReadToEnd(), Is.EqualTo("data"));
        File.Delete(file);
        File.CreateSymbolicLink(file, "/etc/passwd");
        Assert.Throws<SourceFileChangedException>(() => Layer.OpenSourceFile(B(file), walked));
    }

    [Test]
    public void TheRestoreWriterNeverWritesThroughALinkSwappedIn()
    {
        var target = Path.Combine(_root, "target");
        var outside = Directory.CreateDirectory(Path.Combine(_root, "outside")).FullName;
        var dir = new FileMetadata { Type = FileEntryType.Directory, Mode = 0x1ED, MTime = 1_600_000_000 };
        using (var writer = Layer.CreateRestoreWriter(B(target), null, null))
        {
            writer.WriteDirectory(IndexPath.Root, dir);
            writer.WriteDirectory(IndexPath.Parse("sub"), dir);
            Directory.Delete(Path.Combine(target, "sub"));
            File.CreateSymbolicLink(Path.Combine(target, "sub"), outside); // another user's swap
            Assert.Throws<UnsafePathException>(() => writer.OpenRegularFileForWrite(IndexPath.Parse("sub/f")));
        }
        Assert.That(Directory.GetFileSystemEntries(outside), Is.Empty);

        var linkTarget = Path.Combine(_root, "linked-target");
        File.CreateSymbolicLink(linkTarget, outside);
        using (var writer = Layer.CreateRestoreWriter(B(linkTarget), null, null))
            Assert.Throws<UnsafeTargetException>(() => writer.WriteDirectory(IndexPath.Root, dir));
        Assert.That(Directory.GetFileSystemEntries(outside), Is.Empty);
    }

    [Test]
    public void ANameThatIsNotUtf8IsReportedAsAnErrorNotAsVanished()
    {
        File.WriteAllText(Path.Combine(_root, "ok.txt"), "x");
        using (Posix.CreateExclusive(LocalFile.Join(B(_root), [(byte)'r', 0xff, (byte)'w']), 0x1A4)) { }
        var problems = new List<Duplicity.Selection.SourceWalkProblem>();
        var walker = new Duplicity.Selection.SourceTreeWalker(B(_root), onProblem: problems.Add);
        List<string> seen;
        using (FileLayer.Use(Layer))
            seen = walker.Select(e => e.Index.ToString()).ToList();
        Assert.That(seen, Is.EqualTo(new[] { ".", "ok.txt" }));
        Assert.That(problems.Select(p => (p.Kind, p.Errno)), Is.EqualTo(new[] { (Duplicity.Selection.SourceWalkProblemKind.CannotStat, PosixException.EILSEQ) }));
        Assert.That(walker.ErrorCount, Is.EqualTo(1));
    }

    [Test]
    public void UniqueFoldersArePrivateAndNew()
    {
        var template = Path.Combine(_root, "tmp-XXXXXX");
        var a = Layer.CreateUniqueDirectory(template);
        var b = Layer.CreateUniqueDirectory(template);
        Assert.That(a, Is.Not.EqualTo(b));
        Assert.That(a, Does.StartWith(Path.Combine(_root, "tmp-")));
        Assert.That(File.GetUnixFileMode(a), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }
}
