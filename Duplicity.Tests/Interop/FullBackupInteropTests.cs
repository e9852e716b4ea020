using Duplicity.Repository;
using Duplicity.Backends;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Interop;

/// <summary>Full backups written by us restore with the real duplicity, and the reverse.</summary>
[Category("Interop")]
[NonParallelizable]
public class FullBackupInteropTests
{
    [Test]
    public async Task OurFullBackupRestoresWithDuplicityIdentically()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 1_500_000);
        var url = "file://" + tmp.Sub("remote");
        await using (var backend = new BackendRegistry().AddFileSystem().Open(url))
        {
            var result = await Support.Sessions.BackupAsync(backend, new RepositoryOptions
            {
                ArchiveDirectory = tmp.Sub("cache"),
                Name = "ours",
            }, new BackupOptions
            {
                Source = source,
                VolumeSize = 512 * 1024,
            });
            Assert.That(result.VolumeCount, Is.GreaterThanOrEqualTo(3), "small volume size must give several volumes");
            Assert.That(result.IsFull, Is.True);
        }
        foreach (var f in Directory.GetFiles(tmp.Sub("remote")).Where(f => f.Contains(".vol")))
            Assert.That(new FileInfo(f).Length, Is.LessThanOrEqualTo(512 * 1024), $"{f} exceeds the volume size");

        var restored = tmp.Sub("restored");
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), "restore", "--no-encryption", url, restored)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    [Test]
    public async Task DuplicityFullBackupRestoresWithUsIdentically()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 2_500_000);
        var url = "file://" + tmp.Sub("remote");
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), "full", "--no-encryption", "--volsize", "1", source, url)).EnsureSuccess();
        Assert.That(Directory.GetFiles(tmp.Sub("remote"), "*.difftar.gz").Length, Is.GreaterThanOrEqualTo(3));

        var restored = tmp.Sub("restored");
        await using var backend = new BackendRegistry().AddFileSystem().Open(url);
        var result = await Support.Sessions.RestoreAsync(backend, new RepositoryOptions
        {
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "ours",
        }, new RestoreOptions
        {
            Target = restored,
        });
        Assert.That(result.VolumesRead, Is.GreaterThanOrEqualTo(3));
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    [Test]
    public async Task RestoresOnePathOfADuplicityBackupDownloadingOnlyItsVolumes()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 2_500_000);
        var url = "file://" + tmp.Sub("remote");
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), "full", "--no-encryption", "--volsize", "1", source, url)).EnsureSuccess();
        int volumeCount = Directory.GetFiles(tmp.Sub("remote"), "*.difftar.gz").Length;

        await using var backend = new BackendRegistry().AddFileSystem().Open(url);
        var target = tmp.Sub("nested-only");
        var result = await Support.Sessions.RestoreAsync(backend, new RepositoryOptions
        {
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "ours",
        }, new RestoreOptions
        {
            Target = target,
            Path = "sub/nested",
        });
        Assert.That(File.ReadAllText(Path.Combine(target, "deep.txt")), Is.EqualTo("deep\n"));
        Assert.That(Directory.GetFileSystemEntries(target), Has.Length.EqualTo(1));
        Assert.That(result.VolumesRead, Is.LessThan(volumeCount), "only the volumes holding the path are fetched");

        var single = tmp.Sub("single-file");
        await Support.Sessions.RestoreAsync(backend, new RepositoryOptions
        {
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "ours",
        }, new RestoreOptions
        {
            Target = single,
            Path = "big.bin",
        });
        Assert.That(File.ReadAllBytes(single), Is.EqualTo(File.ReadAllBytes(Path.Combine(source, "big.bin"))));
    }
}
