using Duplicity.Repository;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Duplicity.Archive.Manifests;
using Duplicity.Archive.Tar;
using Duplicity.Backends;
using Duplicity.Files;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions;

/// <summary>Archives built on purpose to attack or break a restore: nothing escapes the target, errors are typed.</summary>
[Category("Fault")]
public class HostileArchiveTests
{
    private const string VolumeName = "duplicity-full.20200913T122820Z.vol1.difftar.gz";
    private const string ManifestName = "duplicity-full.20200913T122820Z.manifest";

    private static TarEntryHeader Dir(string name) => new() { Name = Encoding.UTF8.GetBytes(name), TypeFlag = TarTypeFlag.Directory, Mode = 0x1ED, MTime = 1_600_000_000 };
    private static TarEntryHeader File(string name, int size) => new() { Name = Encoding.UTF8.GetBytes(name), TypeFlag = TarTypeFlag.Regular, Mode = 0x1A4, MTime = 1_600_000_000, Size = size };
    private static TarEntryHeader Link(string name, string target) => new() { Name = Encoding.UTF8.GetBytes(name), TypeFlag = TarTypeFlag.Symlink, Mode = 0x1FF, LinkName = Encoding.UTF8.GetBytes(target) };

    private static byte[] GzipTar(params (TarEntryHeader Header, byte[] Data)[] entries)
    {
        using var raw = new MemoryStream();
        foreach (var (h, data) in entries)
        {
            TarHeaderWriter.Write(h, raw);
            raw.Write(data);
            TarHeaderWriter.WritePadding(raw, data.Length);
        }
        using var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw.ToArray());
        return gz.ToArray();
    }

    private static InMemoryBackend BackendWith(byte[] volume, byte[]? hashOf = null)
    {
        var backend = new InMemoryBackend();
        backend.SetContent(VolumeName, volume);
        var manifest = new Manifest { Hostname = "host", LocalDir = "src"u8.ToArray() };
        var v = new ManifestVolume { Number = 1, StartPath = IndexPath.Root, EndPath = IndexPath.Parse("zzz") };
#pragma warning disable CA5350 // The manifest format mandates SHA-1 volume hashes; the test computes them (no secret).
        v.SetHash("SHA1", Convert.ToHexStringLower(SHA1.HashData(hashOf ?? volume)));
#pragma warning restore CA5350
        manifest.Volumes[1] = v;
        manifest.Filelist = [];
        backend.SetContent(ManifestName, ManifestWriter.ToBytes(manifest));
        return backend;
    }

    private static Task<RestoreResult> RestoreAsync(IBackend backend, TempFolder tmp) =>
        Support.Sessions.RestoreAsync(backend, new RepositoryOptions
        {
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "x",
        }, new RestoreOptions
        {
            Target = tmp.Sub("target"),
        });

    [TestCase("snapshot/../escaped.txt")]
    [TestCase("snapshot/sub/../../escaped.txt")]
    [TestCase("snapshot//escaped.txt")]
    [TestCase("/etc/escaped.txt")]
    [TestCase("../escaped.txt")]
    public void HostileNamesAreRefusedAndNothingIsWrittenOutside(string name)
    {
        using var tmp = new TempFolder();
        var backend = BackendWith(GzipTar((Dir("snapshot/./"), []), (File(name, 5), "evil\n"u8.ToArray())));
        var e = Assert.ThrowsAsync(Is.InstanceOf<ArchiveCorruptException>(), () => RestoreAsync(backend, tmp));
        Assert.That(e, Is.Not.Null);
        Assert.That(System.IO.File.Exists(tmp.Sub("escaped.txt")), Is.False);
        Assert.That(System.IO.File.Exists("/etc/escaped.txt"), Is.False);
        Assert.That(Directory.EnumerateFiles(tmp.Path, "escaped.txt", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public void APathThroughARestoredSymlinkNeverWritesOutsideTheTarget()
    {
        using var tmp = new TempFolder();
        var outside = tmp.Sub("outside");
        Directory.CreateDirectory(outside);
        var backend = BackendWith(GzipTar(
            (Dir("snapshot/./"), []),
            (Link("snapshot/link", outside), []),
            (File("snapshot/link/pwned.txt", 5), "evil\n"u8.ToArray())));
        Assert.ThrowsAsync<UnsafePathException>(() => RestoreAsync(backend, tmp));
        Assert.That(Directory.EnumerateFileSystemEntries(outside), Is.Empty);
    }

    [Test]
    public void AVolumeWhoseHashDiffersStopsWithCode21AndWritesNothing()
    {
        using var tmp = new TempFolder();
        var volume = GzipTar((Dir("snapshot/./"), []), (File("snapshot/a.txt", 6), "hello\n"u8.ToArray()));
        var tampered = (byte[])volume.Clone();
        tampered[^10] ^= 0x55;
        var backend = BackendWith(tampered, hashOf: volume);
        var e = Assert.ThrowsAsync<HashMismatchException>(() => RestoreAsync(backend, tmp));
        Assert.That(e!.Code, Is.EqualTo(DuplicityErrorCode.MismatchedHash));
        Assert.That(e.Message, Does.StartWith("Invalid data - SHA1 hash mismatch for file:\n " + VolumeName));
        Assert.That(System.IO.File.Exists(Path.Combine(tmp.Sub("target"), "a.txt")), Is.False);
    }

    [Test]
    public void ATruncatedVolumeGivesATypedErrorAndNoHalfWrittenFile()
    {
        using var tmp = new TempFolder();
        var content = new byte[200_000];
        new Random(3).NextBytes(content);
        var raw = new MemoryStream();
        TarHeaderWriter.Write(Dir("snapshot/./"), raw);
        TarHeaderWriter.Write(File("snapshot/big.bin", content.Length), raw);
        raw.Write(content, 0, 100_000); // cut inside the file's data
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw.ToArray());
        var backend = BackendWith(gz.ToArray());
        Assert.ThrowsAsync(Is.InstanceOf<ArchiveCorruptException>(), () => RestoreAsync(backend, tmp));
        var target = tmp.Sub("target");
        Assert.That(System.IO.File.Exists(Path.Combine(target, "big.bin")), Is.False);
        Assert.That(Directory.Exists(target) ? Directory.GetFiles(target) : [], Is.Empty, "no temporary file is left either");
    }

    [Test]
    public void ATruncatedGzipStreamGivesATypedError()
    {
        using var tmp = new TempFolder();
        var volume = GzipTar((Dir("snapshot/./"), []), (File("snapshot/a.txt", 6), "hello\n"u8.ToArray()));
        var cut = volume[..(volume.Length / 2)];
        var backend = BackendWith(cut);
        Assert.ThrowsAsync(Is.InstanceOf<ArchiveCorruptException>(), () => RestoreAsync(backend, tmp));
    }
}
