using System.Text;
using Duplicity.Cache;
using Duplicity.Files;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Cache;

/// <summary>The archive dir holds every file name, size and owner of a backup: folders we make are 0700, its files 0600.</summary>
[TestFixture]
[Category("Fault")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ArchiveCachePermissionTests
{
    private static int Mode(string path) => Posix.Lstat(Encoding.UTF8.GetBytes(path)).Mode & 0xFFF;

    [Test]
    public void MissingRootParentsAndBackupFolderAreCreatedPrivate()
    {
        using var tmp = new TempFolder();
        var root = Path.Combine(tmp.Sub("home"), ".cache", "duplicity");

        var cache = ArchiveCache.Open(root, "backup");
        using (cache.AcquireLock()) Assert.That(Mode(cache.PathOf("lockfile")), Is.EqualTo(0x180), "lockfile 0600");

        foreach (var dir in new[] { tmp.Sub("home"), Path.GetDirectoryName(root)!, root, cache.Directory })
            Assert.That(Mode(dir), Is.EqualTo(0x1C0), dir);
    }

    [Test]
    public void AWiderBackupFolderFromAnEarlierVersionIsTightenedButAUsersRootIsLeftAlone()
    {
        using var tmp = new TempFolder();
        var root = tmp.Sub("archive");
        var old = Path.Combine(root, "backup");
        Directory.CreateDirectory(old);
        File.SetUnixFileMode(root, (UnixFileMode)0x1ED);
        File.SetUnixFileMode(old, (UnixFileMode)0x1FF);

        var cache = ArchiveCache.Open(root, "backup");

        Assert.That(Mode(cache.Directory), Is.EqualTo(0x1C0));
        Assert.That(Mode(root), Is.EqualTo(0x1ED), "the user's own folder keeps its mode");
    }
}
