using System.Text.RegularExpressions;
using Duplicity.Backends;
using Duplicity.Backends.Par2;
using Duplicity.Repository;
using Duplicity.Samples;
using Duplicity.Sessions;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Par2;

/// <summary>
/// Our par2 files and duplicity 0.8.22's are interchangeable (<c>par2+file://</c>): each tool restores the
/// other's backup after a volume was damaged on the backend, which a plain <c>file://</c> restore refuses.
/// </summary>
[Category("Interop")]
[TestFixture]
[NonParallelizable]
public class Par2DuplicityInteropTests
{
    [OneTimeSetUp]
    public void RequireTools()
    {
        ExternalTool.Require("duplicity");
        ExternalTool.Require("par2");
    }

    [Test]
    public async Task WeRestoreADamagedBackupThatDuplicityStoredWithPar2()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 2_500_000);
        var repo = tmp.Sub("repo");
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), "full", "--no-encryption", "--volsize", "1", source, "par2+file://" + repo)).EnsureSuccess();
        AssertEveryFileHasDuplicitysPar2Files(repo);
        var volume = DamageFirstVolume(repo);

        var plain = tmp.Sub("plain");
        Assert.ThrowsAsync(Is.InstanceOf<DuplicityException>(), async () =>
        {
            await using var backend = new BackendRegistry().AddFileSystem().Open("file://" + repo);
            await Support.Sessions.RestoreAsync(backend, new RepositoryOptions { ArchiveDirectory = tmp.Sub("cache1"), Name = "x" },
                new RestoreOptions { Target = plain });
        }, "without par2 the damaged " + volume + " must fail the restore");

        var restored = tmp.Sub("restored");
        await using (var backend = new BackendRegistry().AddFileSystem().AddPar2().Open("par2+file://" + repo))
        {
            await Support.Sessions.RestoreAsync(backend, new RepositoryOptions { ArchiveDirectory = tmp.Sub("cache2"), Name = "x" },
                new RestoreOptions { Target = restored });
        }
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    [Test]
    public async Task DuplicityRestoresADamagedBackupThatWeStoredWithPar2()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 2_500_000);
        var repo = tmp.Sub("repo");
        await using (var backend = new BackendRegistry().AddFileSystem().AddPar2().Open("par2+file://" + repo))
        {
            var result = await Support.Sessions.BackupAsync(backend, new RepositoryOptions { ArchiveDirectory = tmp.Sub("cache"), Name = "ours" },
                new BackupOptions { Source = source, VolumeSize = 1024 * 1024 });
            Assert.That(result.VolumeCount, Is.GreaterThanOrEqualTo(2));
        }
        AssertEveryFileHasDuplicitysPar2Files(repo);
        DamageFirstVolume(repo);

        var plain = await DuplicityCli.RunAsync(tmp.Sub("dupcache1"), "restore", "--no-encryption", "file://" + repo, tmp.Sub("plain"));
        Assert.That(plain.ExitCode, Is.Not.EqualTo(0), "without par2 duplicity refuses the damaged volume");

        var restored = tmp.Sub("restored");
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache2"), "restore", "--no-encryption", "par2+file://" + repo, restored)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    [Test]
    public async Task TheConsoleMapsThePar2OptionsAndRepairsOnRestore()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 1_500_000);
        var repo = tmp.Sub("repo");
        var output = new StringWriter();
        var code = await ConsoleApp.RunAsync(["full", "--no-encryption", "--par2-redundancy", "20", "--par2-volumes", "2", "--par2-options", "-m64 -t1",
            "--archive-dir", tmp.Sub("cache"), source, "par2+file://" + repo], output, output);
        Assert.That(code, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Not.Contain("only tunes"));
        // The volumes (small files such as signatures may have too few recovery blocks for two volume files:
        // par2 fails, and the wrapper falls back to one, as duplicity does).
        foreach (var file in Directory.GetFiles(repo, "*.difftar.gz"))
        {
            var volumes = Directory.GetFiles(repo, Path.GetFileName(file) + ".vol*.par2");
            Assert.That(volumes, Has.Length.EqualTo(2), file);
            Assert.That(volumes.Sum(v => new FileInfo(v).Length), Is.GreaterThan(new FileInfo(file).Length * 15 / 100), "about 20 % recovery data");
        }
        DamageFirstVolume(repo);

        output = new StringWriter();
        code = await ConsoleApp.RunAsync(["restore", "--no-encryption", "-v", "5", "--archive-dir", tmp.Sub("cache"), "par2+file://" + repo, tmp.Sub("restored")], output, output);
        Assert.That(code, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Contain("File is corrupt. Try to repair b'duplicity-full.").And.Contain("Repair successful b'"));
        Assert.That(TreeSnapshot.Describe(tmp.Sub("restored")), Is.EqualTo(TreeSnapshot.Describe(source)));
    }

    // duplicity names them name.par2 and name.volNNN+MMM.par2; each tool's repository must look the same.
    private static void AssertEveryFileHasDuplicitysPar2Files(string repo)
    {
        var names = Directory.GetFiles(repo).Select(Path.GetFileName).OfType<string>().ToList();
        var files = names.Where(n => !n.EndsWith(".par2", StringComparison.Ordinal)).ToList();
        Assert.That(files.Count(f => f.Contains(".difftar", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2));
        foreach (var file in files)
        {
            Assert.That(names, Does.Contain(file + ".par2"), "index of " + file);
            Assert.That(names.Count(n => Regex.IsMatch(n, "^" + Regex.Escape(file) + @"\.vol\d+\+\d+\.par2$")), Is.EqualTo(1), "one recovery volume of " + file);
        }
        Assert.That(names, Has.Count.EqualTo(files.Count * 3), "nothing else");
    }

    private static string DamageFirstVolume(string repo)
    {
        var volume = Directory.GetFiles(repo, "*.vol1.difftar.gz").Single();
        var length = new FileInfo(volume).Length;
        Par2BackendTests.Damage(volume, at: length / 2, count: 2000);
        return Path.GetFileName(volume);
    }
}
