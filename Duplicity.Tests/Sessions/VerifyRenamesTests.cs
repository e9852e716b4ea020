using Duplicity.Backends;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions;

/// <summary><see cref="VerifyOptions.Renames"/>: the backup's FROM is compared with the local TO, as a restore with the same renames writes it.</summary>
[Category("Unit")]
public class VerifyRenamesTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> Renames = new() { ["sub"] = "moved/here", ["sub/keep"] = "kept", ["top.txt"] = "zz/top.txt" };

    private static RepositoryOptions Repo(TempFolder tmp) =>
        new() { ArchiveDirectory = tmp.Sub("cache"), Name = "x", TimeProvider = new FixedClock(T0.ToUnixTimeSeconds()) };

    private static async Task<(InMemoryBackend Backend, string Restored)> BackupAndRestoreRenamedAsync(TempFolder tmp)
    {
        var source = tmp.Sub("src");
        Directory.CreateDirectory(Path.Combine(source, "sub", "keep"));
        Directory.CreateDirectory(Path.Combine(source, "a"));
        File.WriteAllText(Path.Combine(source, "top.txt"), "top\n");
        File.WriteAllText(Path.Combine(source, "a", "x.txt"), "x\n");
        File.WriteAllText(Path.Combine(source, "sub", "s.txt"), "s\n");
        File.WriteAllText(Path.Combine(source, "sub", "keep", "k.txt"), "k\n");
        var backend = new InMemoryBackend();
        await Support.Sessions.BackupAsync(backend, Repo(tmp), new BackupOptions { Source = source });
        var restored = tmp.Sub("restored");
        await Support.Sessions.RestoreAsync(backend, Repo(tmp), new RestoreOptions { Target = restored, Renames = Renames });
        return (backend, restored);
    }

    private static async Task<VerifyResult> VerifyAsync(IBackend backend, TempFolder tmp, string local, IReadOnlyDictionary<string, string>? renames)
    {
        await using var repository = await BackupRepository.OpenAsync(backend, Repo(tmp));
        return await new VerifySession(repository, new VerifyOptions { LocalPath = local, CompareData = true, Renames = renames }).RunAsync();
    }

    [Test]
    public async Task ARenamedRestoreVerifiesCleanWithTheSameRenames()
    {
        using var tmp = new TempFolder();
        var (backend, restored) = await BackupAndRestoreRenamedAsync(tmp);
        Assert.That(File.Exists(Path.Combine(restored, "kept", "k.txt")) && File.Exists(Path.Combine(restored, "moved", "here", "s.txt")), Is.True);

        var result = await VerifyAsync(backend, tmp, restored, Renames);
        Assert.That(result.Differences, Is.Empty);
        Assert.That(result.FilesCompared, Is.EqualTo(8), "., a, a/x.txt, sub, sub/keep, sub/keep/k.txt, sub/s.txt, top.txt; not the folders made to hold a TO (moved, zz)");
    }

    [Test]
    public async Task DifferencesNameTheLocalPaths()
    {
        using var tmp = new TempFolder();
        var (backend, restored) = await BackupAndRestoreRenamedAsync(tmp);
        var keptTime = Directory.GetLastWriteTimeUtc(Path.Combine(restored, "kept"));
        var rootTime = Directory.GetLastWriteTimeUtc(restored);
        File.Delete(Path.Combine(restored, "kept", "k.txt"));
        File.WriteAllText(Path.Combine(restored, "kept", "extra.txt"), "extra\n");
        File.WriteAllText(Path.Combine(restored, "sub.txt"), "not renamed\n");
        Directory.SetLastWriteTimeUtc(Path.Combine(restored, "kept"), keptTime);
        Directory.SetLastWriteTimeUtc(restored, rootTime);

        var result = await VerifyAsync(backend, tmp, restored, Renames);
        Assert.That(result.Differences.Select(d => (d.Path, d.Kind)), Is.EquivalentTo(new[]
        {
            ("kept/k.txt", VerifyDifferenceKind.Missing),
            ("kept/extra.txt", VerifyDifferenceKind.NewFile),
            ("sub.txt", VerifyDifferenceKind.NewFile),
        }));

        var plain = await VerifyAsync(backend, tmp, restored, null);
        Assert.That(plain.Differences.Select(d => (d.Path, d.Kind)), Does.Contain(("sub", VerifyDifferenceKind.Missing)).And.Contain(("moved", VerifyDifferenceKind.NewFile)));
    }

    [TestCase("", "x")]
    [TestCase(".", "x")]
    [TestCase("sub", "../outside")]
    [TestCase("sub", ".")]
    public void RenamesOutsideTheFolderAreRefused(string from, string to)
    {
        var options = new VerifyOptions { LocalPath = "/tmp", Renames = new Dictionary<string, string> { [from] = to } };
        Assert.Throws<ArgumentException>(options.Validate);
    }
}
