using System.Collections.Concurrent;
using Duplicity.Archive.Manifests;
using Duplicity.Backends;
using Duplicity.Crypto;
using Duplicity.Files;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions;

/// <summary>
/// A one-path restore downloads only the volumes whose manifest range holds the path (in each set of
/// the chain), and a listing reads signatures alone; with the archive dir in step, neither downloads a
/// manifest or signature file. Behaviour, not timing: the backend counts what is fetched.
/// </summary>
[TestFixture]
[Category("Unit")]
public class TouchOnlyWhatIsNeededTests
{
    private const string Passphrase = "touch only what is needed";

    /// <summary>Records every file fetched from the backend.</summary>
    private sealed class CountingBackend(IBackend inner) : DelegatingBackend(inner)
    {
        public ConcurrentQueue<string> Gets { get; } = new();

        public override Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default)
        {
            Gets.Enqueue(name);
            return base.GetAsync(name, cancellationToken);
        }
    }

    private sealed record Archive(TempFolder Tmp, InMemoryBackend Backend, string Source, string Cache);

    private static RepositoryOptions Options(string cache, long seconds = 1_700_010_000) => new()
    {
        ArchiveDirectory = cache,
        Name = "touch",
        Encryption = EncryptionOptions.Passphrase(new FixedPassphraseSource(Passphrase)),
        Decryption = new DecryptionOptions { PassphraseSource = new FixedPassphraseSource(Passphrase) },
        TimeProvider = new FixedClock(seconds),
    };

    /// <summary>A full of five folders of incompressible files over many small volumes, and an incremental that changes two files.</summary>
    private static async Task<Archive> MakeAsync()
    {
        var tmp = new TempFolder();
        var src = tmp.Sub("src");
        var random = new Random(13);
        for (int d = 0; d < 5; d++)
        {
            Directory.CreateDirectory(Path.Combine(src, $"d{d}"));
            for (int f = 0; f < 4; f++)
            {
                var data = new byte[90_000];
                random.NextBytes(data);
                File.WriteAllBytes(Path.Combine(src, $"d{d}", $"f{f}.bin"), data);
            }
        }
        var backend = new InMemoryBackend();
        var cache = tmp.Sub("cache");
        await Support.Sessions.BackupAsync(backend, Options(cache, 1_700_000_000),
            new BackupOptions { Source = src, VolumeSize = 200_000, Mode = BackupMode.Full });
        foreach (var changed in new[] { "d1/f2.bin", "d3/f0.bin" })
        {
            var p = Path.Combine(src, changed);
            var data = File.ReadAllBytes(p);
            data[100] ^= 0xFF;
            File.WriteAllBytes(p, data);
            File.SetLastWriteTimeUtc(p, DateTime.UnixEpoch.AddSeconds(1_700_001_000));
        }
        await Support.Sessions.BackupAsync(backend, Options(cache, 1_700_003_600),
            new BackupOptions { Source = src, VolumeSize = 200_000, Mode = BackupMode.Incremental });
        return new Archive(tmp, backend, src, cache);
    }

    /// <summary>The volumes of every set whose manifest range holds <paramref name="path"/>, read from the archive dir's manifests.</summary>
    private static HashSet<string> ContainingVolumes(Archive archive, string path)
    {
        var wanted = new HashSet<string>();
        var prefix = IndexPath.Parse(path);
        foreach (var manifestFile in Directory.EnumerateFiles(Path.Combine(archive.Cache, "touch"), "*.manifest"))
        {
            var manifest = ManifestParser.Parse(File.ReadAllBytes(manifestFile));
            var stem = Path.GetFileName(manifestFile)[..^".manifest".Length];
            foreach (var (number, volume) in manifest.Volumes)
                if (volume.MayContain(prefix)) wanted.Add($"{stem}.vol{number}.difftar.gpg");
        }
        return wanted;
    }

    [Test]
    public async Task AOneFileRestoreDownloadsOnlyTheVolumesThatHoldThePath()
    {
        var archive = await MakeAsync();
        using var _ = archive.Tmp;
        var volumes = (await archive.Backend.ListAsync().ToListAsync()).Select(f => f.Name).Where(n => n.Contains(".difftar", StringComparison.Ordinal)).ToList();
        Assert.That(volumes, Has.Count.GreaterThan(6), "the archive has many volumes to choose from");

        foreach (var path in new[] { "d3/f0.bin", "d1/f1.bin", "d4/f3.bin" })
        {
            var counting = new CountingBackend(archive.Backend);
            var target = archive.Tmp.Sub($"restore-{path.Replace('/', '-')}");
            var result = await Support.Sessions.RestoreAsync(counting, Options(archive.Cache),
                new RestoreOptions { Target = target, Path = path });

            Assert.That(File.ReadAllBytes(target), Is.EqualTo(File.ReadAllBytes(Path.Combine(archive.Source, path))), path);
            var wanted = ContainingVolumes(archive, path);
            Assert.That(counting.Gets, Is.EquivalentTo(wanted), $"{path}: exactly the volumes whose range holds it, nothing else (no manifest, no signatures)");
            Assert.That(wanted, Has.Count.LessThan(volumes.Count / 2), $"{path}: a small part of the archive");
            Assert.That(result.VolumesRead, Is.EqualTo(wanted.Count));
        }
    }

    [Test]
    public async Task AFolderRestoreReadsTheVolumesOfItsRangeAndStopsAfterIt()
    {
        var archive = await MakeAsync();
        using var _ = archive.Tmp;
        var counting = new CountingBackend(archive.Backend);
        var target = archive.Tmp.Sub("restore-d2");
        await Support.Sessions.RestoreAsync(counting, Options(archive.Cache), new RestoreOptions { Target = target, Path = "d2" });

        for (int f = 0; f < 4; f++)
            Assert.That(File.ReadAllBytes(Path.Combine(target, $"f{f}.bin")), Is.EqualTo(File.ReadAllBytes(Path.Combine(archive.Source, "d2", $"f{f}.bin"))));
        Assert.That(Directory.EnumerateFileSystemEntries(target).Count(), Is.EqualTo(4));
        Assert.That(counting.Gets, Is.EquivalentTo(ContainingVolumes(archive, "d2")));
    }

    [Test]
    public async Task AListingWithTheArchiveDirInStepDownloadsNothing()
    {
        var archive = await MakeAsync();
        using var _ = archive.Tmp;
        var counting = new CountingBackend(archive.Backend);
        await using var repo = await BackupRepository.OpenAsync(counting, Options(archive.Cache));
        var listed = await new ListSession(repo).ListAsync().Select(e => e.Path.ToString()).ToListAsync();

        Assert.That(listed, Does.Contain("d3/f0.bin").And.Contain("d4/f3.bin"));
        Assert.That(counting.Gets, Is.Empty);
    }

    [Test]
    public async Task AListingWithAnEmptyArchiveDirFetchesSignaturesAndManifestsButNoVolume()
    {
        var archive = await MakeAsync();
        using var _ = archive.Tmp;
        var counting = new CountingBackend(archive.Backend);
        await using var repo = await BackupRepository.OpenAsync(counting, Options(archive.Tmp.Sub("fresh-cache")));
        var listed = await new ListSession(repo).ListAsync().Select(e => e.Path.ToString()).ToListAsync();

        Assert.That(listed, Does.Contain("d3/f0.bin"));
        Assert.That(counting.Gets, Is.Not.Empty);
        Assert.That(counting.Gets.Where(n => n.Contains(".difftar", StringComparison.Ordinal)), Is.Empty, "no volume is read");
    }
}
