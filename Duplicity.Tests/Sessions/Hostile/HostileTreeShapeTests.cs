using System.Diagnostics;
using System.Text;
using Duplicity.Archive.Tar;
using Duplicity.Files;
using Duplicity.Tests.Support;
using static Duplicity.Tests.Sessions.Hostile.HostileVolume;

namespace Duplicity.Tests.Sessions.Hostile;

/// <summary>
/// Archives whose entries try to reach outside the target through their shape: links with entries
/// below them, names given twice, entries out of order, hard links, '..' and absolute names, paths
/// longer than PATH_MAX. Each restore ends inside the target or with a typed error, and the folder
/// next to the target stays exactly as it was.
/// </summary>
[Category("Fault")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class HostileTreeShapeTests
{
    private static void AssertNoFileNamed(TempFolder tmp, string name) =>
        Assert.That(Directory.EnumerateFiles(tmp.Path, name, new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }), Is.Empty);

    private static Task<T> FailsAsync<T>(TempFolder tmp, params (TarEntryHeader, byte[])[] entries) where T : DuplicityException =>
        HostileRestore.FailsWithAsync<T>(Backend(entries), tmp.Sub("target"), tmp.Sub("cache"));

    [TestCase(false)]
    [TestCase(true)]
    public async Task EntriesBelowARestoredSymlinkAreRefused(bool absolute)
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        await FailsAsync<UnsafePathException>(tmp,
            Dir("snapshot/./"),
            Link("snapshot/link", absolute ? outside.Path : "../outside"),
            Dir("snapshot/link/sub", 0x1FF),
            File("snapshot/link/sub/pwned.txt", "evil\n"),
            File("snapshot/link/secret.txt", "overwritten\n", 0x1FF));
        outside.AssertUnchanged();
        Assert.That(Posix.Lstat(Encoding.UTF8.GetBytes(tmp.Sub("target/link"))).IsSymlink, Is.True, "the link itself is restored");
        AssertNoFileNamed(tmp, "pwned.txt");
    }

    [Test]
    public async Task AFileBelowARestoredRegularFileIsRefused()
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        await FailsAsync<UnsafePathException>(tmp, Dir("snapshot/./"), File("snapshot/a", "plain\n"), File("snapshot/a/b", "below a file\n"));
        outside.AssertUnchanged();
        Assert.That(System.IO.File.ReadAllText(tmp.Sub("target/a")), Is.EqualTo("plain\n"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task ASymlinkAndADirectoryOfTheSameNameAreADuplicateAndNeverFollowed(bool linkFirst)
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        var link = Link("snapshot/a", outside.Path);
        var dir = Dir("snapshot/a", 0x1FF);
        var error = await FailsAsync<ArchiveCorruptException>(tmp,
            Dir("snapshot/./"), linkFirst ? link : dir, linkFirst ? dir : link, File("snapshot/a/pwned.txt", "evil\n"), File("snapshot/a/secret.txt", "overwritten\n"));
        Assert.That(error.Message, Does.Contain("more than once"));
        outside.AssertUnchanged();
        AssertNoFileNamed(tmp, "pwned.txt");
    }

    [TestCase("snapshot/../outside/secret.txt")]
    [TestCase("snapshot/a/../../outside/secret.txt")]
    [TestCase("snapshot/..")]
    [TestCase("snapshot/../outside")]
    public async Task DotDotComponentsAreRefused(string name)
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        await FailsAsync<ArchiveCorruptException>(tmp, Dir("snapshot/./"), Dir("snapshot/a"), File(name, "overwritten\n", 0x1FF), Dir(name + "/x", 0x1FF));
        outside.AssertUnchanged();
    }

    [Test]
    public async Task AbsoluteNamesAreRefused()
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        var secret = Path.Combine(outside.Path, "secret.txt");
        await FailsAsync<ArchiveCorruptException>(tmp, Dir("snapshot/./"), File(secret, "overwritten\n", 0x1FF));
        await FailsAsync<ArchiveCorruptException>(tmp, Dir("snapshot/./"), File("snapshot/" + secret, "overwritten\n", 0x1FF));
        outside.AssertUnchanged();
    }

    [Test]
    public async Task ADuplicatedFileIsRefusedAndTheFirstCopyIsKept()
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        var error = await FailsAsync<ArchiveCorruptException>(tmp, Dir("snapshot/./"), File("snapshot/a", "first\n"), File("snapshot/a", "second\n"));
        Assert.That(error.Message, Does.Contain("'a' more than once"));
        Assert.That(System.IO.File.ReadAllText(tmp.Sub("target/a")), Is.EqualTo("first\n"));
        outside.AssertUnchanged();
    }

    [Test]
    public async Task EntriesOutOfOrderAreRefused()
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        var error = await FailsAsync<ArchiveCorruptException>(tmp, Dir("snapshot/./"), File("snapshot/b", "b\n"), File("snapshot/a", "a\n"));
        Assert.That(error.Message, Does.Contain("out of order"));
        Assert.That(System.IO.File.Exists(tmp.Sub("target/a")), Is.False);
        outside.AssertUnchanged();
    }

    [Test]
    public async Task ADirectoryAfterItsChildrenIsRefused()
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        var error = await FailsAsync<ArchiveCorruptException>(tmp, Dir("snapshot/./"), File("snapshot/d/x", "x\n"), Dir("snapshot/d", 0x1FF));
        Assert.That(error.Message, Does.Contain("out of order"));
        outside.AssertUnchanged();
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task HardLinksAreRefused(bool absolute)
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        var secret = Path.Combine(outside.Path, "secret.txt");
        var error = await FailsAsync<ArchiveCorruptException>(tmp,
            Dir("snapshot/./"), HardLink("snapshot/hard", absolute ? secret : "../outside/secret.txt"), File("snapshot/z", "z\n"));
        Assert.That(error.Message, Does.Contain("Hard links"));
        Assert.That(System.IO.File.Exists(tmp.Sub("target/hard")), Is.False);
        outside.AssertUnchanged();
    }

    [Test]
    public async Task AnExistingSymlinkWhereTheArchiveHasADirectoryIsReplacedNotFollowed()
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        var target = tmp.Sub("target");
        Directory.CreateDirectory(target);
        System.IO.File.CreateSymbolicLink(Path.Combine(target, "a"), outside.Path);
        System.IO.File.CreateSymbolicLink(Path.Combine(target, "secret.txt"), Path.Combine(outside.Path, "secret.txt"));
        var backend = Backend(Dir("snapshot/./"), Dir("snapshot/a", 0x1FF), File("snapshot/a/secret.txt", "inside\n", 0x1FF), File("snapshot/secret.txt", "inside too\n", 0x1FF));

        var (result, error) = await HostileRestore.RunAsync(backend, target, tmp.Sub("cache"), force: true);

        Assert.That(error, Is.Null);
        Assert.That(result!.ObjectsRestored, Is.EqualTo(4));
        outside.AssertUnchanged();
        Assert.That(Posix.Lstat(Encoding.UTF8.GetBytes(Path.Combine(target, "a"))).IsDirectory, Is.True);
        Assert.That(System.IO.File.ReadAllText(Path.Combine(target, "a", "secret.txt")), Is.EqualTo("inside\n"));
        Assert.That(Posix.Lstat(Encoding.UTF8.GetBytes(Path.Combine(target, "secret.txt"))).IsRegular, Is.True);
    }

    [Test]
    public async Task PathsLongerThanPathMaxAreRestoredInsideTheTarget()
    {
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        // 80 levels of 60-byte names: a 4.9 KB path, deeper than PATH_MAX (4096) and than the open-directory cache.
        const int Depth = 80;
        var component = new string('d', 60);
        var entries = new List<(TarEntryHeader, byte[])> { Dir("snapshot/./") };
        var path = "snapshot";
        for (int i = 0; i < Depth; i++)
        {
            path += "/" + component;
            entries.Add(Dir(path, 0x1C0));
        }
        entries.Add(File(path + "/deep.txt", "deep\n"));
        Assert.That(Encoding.UTF8.GetByteCount(path), Is.GreaterThan(4096));
        var target = tmp.Sub("target");
        try
        {
            var (result, error) = await HostileRestore.RunAsync(Backend([.. entries]), target, tmp.Sub("cache"));

            Assert.That(error, Is.Null);
            Assert.That(result!.ObjectsRestored, Is.EqualTo(Depth + 2));
            // Walk down by handles: the full path is too long for path-based calls.
            var handles = new List<DirectoryHandle> { DirectoryHandle.OpenPath(Encoding.UTF8.GetBytes(target), followLast: false) };
            try
            {
                for (int i = 0; i < Depth; i++)
                {
                    Assert.That(handles[^1].TryOpenChild(Encoding.UTF8.GetBytes(component), out var child, out int errno), Is.True, $"level {i}: errno {errno}");
                    handles.Add(child!);
                }
                Assert.That(handles[^1].TryStatChild("deep.txt"u8, out var st), Is.Zero);
                Assert.That(st.IsRegular && st.Size == 5, Is.True);
            }
            finally
            {
                foreach (var h in handles) h.Dispose();
            }
            outside.AssertUnchanged();
        }
        finally
        {
            // Too deep for Directory.Delete; rm walks it relative to each directory.
            using var rm = Process.Start("rm", ["-rf", "--", target]);
            rm.WaitForExit();
        }
    }
}
