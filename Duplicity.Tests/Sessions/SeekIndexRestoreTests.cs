using Duplicity.Archive.Volumes;
using Duplicity.Backends;
using Duplicity.Crypto;
using Duplicity.Tests.Crypto;
using Duplicity.Diagnostics;
using Duplicity.Files;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions;

/// <summary>
/// A backup of gzip volumes, or of OpenPGP volumes we compress, leaves a seek index per set in the archive
/// dir; a restore of one path then starts inflating inside the volume, near the path, and restores exactly
/// what a read from the start would. An index that does not describe the volume is never trusted, and one
/// of a set gone is deleted.
/// </summary>
[TestFixture]
[Category("Unit")]
public class SeekIndexRestoreTests
{
    private const long T0 = 1_700_000_000;
    private const string Name = "seek";

    /// <summary>How the volumes are stored.</summary>
    public enum Kind { Gzip, Encrypted, EncryptedAndSigned }

    private sealed record Archive(TempFolder Tmp, InMemoryBackend Backend, string Source, string Cache, Kind Kind, OpenPgpKeyring? Ring) : IDisposable
    {
        public string SeekFolder => Path.Combine(Cache, Name, "seek-index");
        public RepositoryOptions Options(long seconds = T0 + 7200) => SeekIndexRestoreTests.Options(Cache, Kind, Ring, seconds);
        public void Dispose() => Tmp.Dispose();
    }

    private static RepositoryOptions Options(string cache, Kind kind, OpenPgpKeyring? ring, long seconds)
    {
        var options = new RepositoryOptions { ArchiveDirectory = cache, Name = Name, TimeProvider = new FixedClock(seconds) };
        if (kind == Kind.Gzip) return options;
        var passphrase = new FixedPassphraseSource("seek");
        var encryption = EncryptionOptions.Passphrase(passphrase);
        options.Encryption = kind == Kind.EncryptedAndSigned ? encryption.WithSignKey(ring!, GpgTestKeys.EdNoPass) : encryption;
        options.Decryption = new DecryptionOptions { PassphraseSource = passphrase, Keyring = ring };
        return options;
    }

    /// <summary>Four folders of 300 compressible 9 KB text files (about 11 MB of tar) in volumes of 2 MB stored.</summary>
    private static async Task<Archive> MakeAsync(Kind kind = Kind.Gzip)
    {
        var tmp = new TempFolder();
        var src = tmp.Sub("src");
        var random = new Random(21);
        const string words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu ";
        for (int d = 0; d < 4; d++)
        {
            Directory.CreateDirectory(Path.Combine(src, $"d{d}"));
            for (int f = 0; f < 300; f++)
            {
                var text = new char[9_000];
                for (int i = 0; i < text.Length; i++) text[i] = words[(i + random.Next(5)) % words.Length];
                File.WriteAllText(Path.Combine(src, $"d{d}", $"f{f:D3}.txt"), new string(text));
            }
        }
        var ring = kind == Kind.EncryptedAndSigned ? await GpgTestKeys.KeyringAsync("ed-nopass") : null;
        var archive = new Archive(tmp, new InMemoryBackend(), src, tmp.Sub("cache"), kind, ring);
        await Support.Sessions.BackupAsync(archive.Backend, archive.Options(T0), new BackupOptions { Source = src, VolumeSize = 2_000_000, Mode = BackupMode.Full });
        return archive;
    }

    private static async Task<(string Target, RecordingLoggerFactory Log)> RestoreAsync(Archive archive, string path, long seconds = T0 + 7200)
    {
        var log = new RecordingLoggerFactory();
        var target = archive.Tmp.Sub($"restore-{Guid.NewGuid():N}");
        await Support.Sessions.RestoreAsync(archive.Backend, archive.Options(seconds), new RestoreOptions { Target = target, Path = path }, log);
        return (target, log);
    }

    private static int Count(RecordingLoggerFactory log, int eventId) => log.EventIds.Count(id => id == eventId);

    [TestCase(Kind.Gzip)]
    [TestCase(Kind.Encrypted)]
    [TestCase(Kind.EncryptedAndSigned)]
    public async Task AOneFileRestoreStartsInsideItsVolumeAndRestoresTheFileExactly(Kind kind)
    {
        using var archive = await MakeAsync(kind);
        var volumes = (await archive.Backend.ListAsync().ToListAsync()).Count(f => f.Name.Contains(kind == Kind.Gzip ? ".difftar.gz" : ".difftar.gpg", StringComparison.Ordinal));
        Assert.That(volumes, Is.GreaterThanOrEqualTo(3), "several volumes");
        Assert.That(Directory.GetFiles(archive.SeekFolder).Select(Path.GetFileName), Has.One.Match("^duplicity-full\\..*\\.manifest$"));

        foreach (var path in new[] { "d0/f250.txt", "d2/f137.txt", "d3/f299.txt" })
        {
            var (target, log) = await RestoreAsync(archive, path);
            Assert.That(File.ReadAllBytes(target), Is.EqualTo(File.ReadAllBytes(Path.Combine(archive.Source, path))), path);
            Assert.That(Count(log, DuplicityEventIds.RestoreSeekPointUsed), Is.GreaterThanOrEqualTo(1), $"{path}: read from a seek point");
            Assert.That(Count(log, DuplicityEventIds.RestoreSeekPointRejected), Is.Zero);
        }
    }

    [TestCase(Kind.Gzip)]
    [TestCase(Kind.Encrypted)]
    public async Task AFolderRestoredFromASeekPointHasEveryFileOfTheFolderAndNothingElse(Kind kind)
    {
        using var archive = await MakeAsync(kind);
        var (target, log) = await RestoreAsync(archive, "d2");

        Assert.That(TreeSnapshot.Describe(target), Is.EqualTo(TreeSnapshot.Describe(Path.Combine(archive.Source, "d2"))));
        Assert.That(Count(log, DuplicityEventIds.RestoreSeekPointUsed), Is.GreaterThanOrEqualTo(1));
    }

    [TestCase(Kind.Gzip)]
    [TestCase(Kind.Encrypted)]
    public async Task TheChainRestoresThroughTheIndexesOfBothSets(Kind kind)
    {
        using var archive = await MakeAsync(kind);
        var changed = Path.Combine(archive.Source, "d2", "f200.txt");
        File.WriteAllText(changed, "rewritten after the full backup");
        File.SetLastWriteTimeUtc(changed, DateTime.UnixEpoch.AddSeconds(T0 + 100));
        // Over a megabyte of changes, so that the incremental's volume has points past its first deflate block.
        for (int f = 0; f < 150; f++)
        {
            var path = Path.Combine(archive.Source, "d1", $"f{f:D3}.txt");
            File.WriteAllText(path, File.ReadAllText(path).ToUpperInvariant());
            File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(T0 + 100));
        }
        await Support.Sessions.BackupAsync(archive.Backend, archive.Options(T0 + 3600),
            new BackupOptions { Source = archive.Source, VolumeSize = 2_000_000, Mode = BackupMode.Incremental });
        Assert.That(Directory.GetFiles(archive.SeekFolder), Has.Length.EqualTo(2), "the incremental set has its own index");

        int used = 0;
        foreach (var path in new[] { "d1/f149.txt", "d2/f200.txt", "d2/f199.txt", "d3/f010.txt" })
        {
            var (target, log) = await RestoreAsync(archive, path);
            Assert.That(File.ReadAllBytes(target), Is.EqualTo(File.ReadAllBytes(Path.Combine(archive.Source, path))), path);
            Assert.That(Count(log, DuplicityEventIds.RestoreSeekPointRejected), Is.Zero);
            used += Count(log, DuplicityEventIds.RestoreSeekPointUsed);
        }
        Assert.That(used, Is.GreaterThanOrEqualTo(5), "points of both sets were used");
        var (before, _) = await RestoreAsync(archive, "d2/f200.txt", T0 + 10);
        Assert.That(File.ReadAllText(before), Does.Not.Contain("rewritten"), "the full's version at the full's time");
    }

    [TestCase(Kind.Gzip)]
    [TestCase(Kind.Encrypted)]
    public async Task AnIndexWhosePointsMissTheirEntriesIsRejectedAndTheVolumeReadFromItsStart(Kind kind)
    {
        using var archive = await MakeAsync(kind);
        var file = Directory.GetFiles(archive.SeekFolder).Single();
        var sound = VolumeSeekIndex.TryLoad(file)!;
        // The same volumes and hashes, every point moved: inflating there fails or finds another header.
        var broken = new VolumeSeekIndex();
        foreach (var (number, sha1) in await VolumeHashesAsync(archive))
        {
            var points = sound.PointsOf(number);
            Assert.That(points, Has.Count.GreaterThan(1), $"volume {number} has points");
            broken.Add(number, sha1, [.. points.Select((p, i) => i % 2 == 0 ? p with { Skip = p.Skip + 512 } : p with { StoredOffset = p.StoredOffset + 3 })]);
        }
        await broken.SaveAsync(file, CancellationToken.None);

        int rejected = 0;
        foreach (var path in new[] { "d0/f250.txt", "d1/f150.txt", "d2/f137.txt", "d3/f299.txt" })
        {
            var (target, log) = await RestoreAsync(archive, path);
            Assert.That(File.ReadAllBytes(target), Is.EqualTo(File.ReadAllBytes(Path.Combine(archive.Source, path))), path);
            Assert.That(Count(log, DuplicityEventIds.RestoreSeekPointUsed), Is.Zero, path);
            rejected += Count(log, DuplicityEventIds.RestoreSeekPointRejected);
        }
        Assert.That(rejected, Is.GreaterThanOrEqualTo(3));
    }

    [TestCase(Kind.Gzip)]
    [TestCase(Kind.Encrypted)]
    public async Task AnIndexOfOtherBytesOrNotAnIndexAtAllIsIgnored(Kind kind)
    {
        using var archive = await MakeAsync(kind);
        var file = Directory.GetFiles(archive.SeekFolder).Single();
        var sound = VolumeSeekIndex.TryLoad(file)!;
        var otherHashes = new VolumeSeekIndex();
        foreach (var (number, sha1) in await VolumeHashesAsync(archive))
            if (sound.FindBefore(number, sha1, IndexPath.Parse("d3/f299.txt")) is { } p)
                otherHashes.Add(number, new string('0', 40), [p]);
        await otherHashes.SaveAsync(file, CancellationToken.None);
        var (target, log) = await RestoreAsync(archive, "d3/f299.txt");
        Assert.That(File.ReadAllBytes(target), Is.EqualTo(File.ReadAllBytes(Path.Combine(archive.Source, "d3/f299.txt"))));
        Assert.That(Count(log, DuplicityEventIds.RestoreSeekPointUsed) + Count(log, DuplicityEventIds.RestoreSeekPointRejected), Is.Zero);

        await File.WriteAllBytesAsync(file, "not an index"u8.ToArray());
        (target, log) = await RestoreAsync(archive, "d1/f001.txt");
        Assert.That(File.ReadAllBytes(target), Is.EqualTo(File.ReadAllBytes(Path.Combine(archive.Source, "d1/f001.txt"))));
        Assert.That(Count(log, DuplicityEventIds.RestoreSeekPointUsed), Is.Zero);
    }

    [Test]
    public async Task TheIndexOfASetNoLongerOnTheBackendIsDeletedWithItsCachedManifest()
    {
        using var archive = await MakeAsync();
        await Support.Sessions.BackupAsync(archive.Backend, archive.Options(T0 + 86_400),
            new BackupOptions { Source = archive.Source, VolumeSize = 2_000_000, Mode = BackupMode.Full });
        Assert.That(Directory.GetFiles(archive.SeekFolder), Has.Length.EqualTo(2));

        await using (var repository = await BackupRepository.OpenAsync(archive.Backend, archive.Options(T0 + 90_000)))
            await RetentionPolicy.RemoveAllButNFull(1).Plan(await repository.GetStatusAsync()).ApplyAsync(repository);
        // The next run's synchronisation drops the cached manifest of the removed set, and its index with it.
        var (target, _) = await RestoreAsync(archive, "d1/f001.txt", T0 + 90_000);

        Assert.That(File.ReadAllBytes(target), Is.EqualTo(File.ReadAllBytes(Path.Combine(archive.Source, "d1/f001.txt"))));
        var left = Directory.GetFiles(archive.SeekFolder).Select(Path.GetFileName).ToList();
        Assert.That(left, Has.Count.EqualTo(1));
        Assert.That(File.Exists(Path.Combine(archive.Cache, Name, left[0]!)), "the index left is that of the set kept");
    }

    [Test]
    public async Task EncryptedVolumesLeftUncompressedGetNoIndex()
    {
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        Directory.CreateDirectory(src);
        File.WriteAllText(Path.Combine(src, "a.txt"), new string('a', 3_000_000));
        File.WriteAllText(Path.Combine(src, "b.txt"), "b");
        var options = Options(tmp.Sub("cache"), Kind.Encrypted, null, T0);
        options.Encryption = options.Encryption!.WithCompression(false);
        await Support.Sessions.BackupAsync(new InMemoryBackend(), options, new BackupOptions { Source = src, Mode = BackupMode.Full });
        Assert.That(Directory.Exists(Path.Combine(tmp.Sub("cache"), Name, "seek-index")), Is.False);
    }

    [Test]
    public async Task ARestoreThatExpectsSignedVolumesReadsThemWholeForTheSignature()
    {
        using var archive = await MakeAsync(Kind.EncryptedAndSigned);
        var log = new RecordingLoggerFactory();
        var target = archive.Tmp.Sub("restore-expecting-signature");
        var options = archive.Options();
        options.Decryption = options.Decryption! with { ExpectedSignKey = GpgTestKeys.EdNoPass };
        await Support.Sessions.RestoreAsync(archive.Backend, options, new RestoreOptions { Target = target, Path = "d2/f137.txt" }, log);

        Assert.That(File.ReadAllBytes(target), Is.EqualTo(File.ReadAllBytes(Path.Combine(archive.Source, "d2/f137.txt"))));
        Assert.That(Count(log, DuplicityEventIds.RestoreSeekPointUsed), Is.Zero);
    }

    /// <summary>Each volume's number and SHA-1 in the full set's cached manifest.</summary>
    private static async Task<List<(int Number, string Sha1)>> VolumeHashesAsync(Archive archive)
    {
        var manifest = Directory.GetFiles(Path.Combine(archive.Cache, Name), "duplicity-full.*.manifest").Single();
        await using var stream = File.OpenRead(manifest);
        var parsed = await Duplicity.Archive.Manifests.ManifestHead.ReadAsync(stream, CancellationToken.None);
        return [.. parsed.Volumes.Select(v => (v.Key, v.Value.Hashes["SHA1"]))];
    }
}
