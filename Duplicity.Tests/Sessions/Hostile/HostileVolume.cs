using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Duplicity.Archive.Manifests;
using Duplicity.Archive.Tar;
using Duplicity.Backends;
using Duplicity.Files;

namespace Duplicity.Tests.Sessions.Hostile;

/// <summary>Builds one-volume full backups from hand-made tar entries, in whatever order and shape a test wants.</summary>
internal static class HostileVolume
{
    public const string VolumeName = "duplicity-full.20200913T122820Z.vol1.difftar.gz";
    public const string ManifestName = "duplicity-full.20200913T122820Z.manifest";
    private const long MTime = 1_600_000_000;

    public static (TarEntryHeader, byte[]) Dir(string name, int mode = 0x1ED) =>
        (new TarEntryHeader { Name = Encoding.UTF8.GetBytes(name), TypeFlag = TarTypeFlag.Directory, Mode = mode, MTime = MTime }, []);

    public static (TarEntryHeader, byte[]) File(string name, string content, int mode = 0x1A4)
    {
        var data = Encoding.UTF8.GetBytes(content);
        return (new TarEntryHeader { Name = Encoding.UTF8.GetBytes(name), TypeFlag = TarTypeFlag.Regular, Mode = mode, MTime = MTime, Size = data.Length }, data);
    }

    public static (TarEntryHeader, byte[]) Link(string name, string target) =>
        (new TarEntryHeader { Name = Encoding.UTF8.GetBytes(name), TypeFlag = TarTypeFlag.Symlink, Mode = 0x1FF, MTime = MTime, LinkName = Encoding.UTF8.GetBytes(target) }, []);

    public static (TarEntryHeader, byte[]) HardLink(string name, string target) =>
        (new TarEntryHeader { Name = Encoding.UTF8.GetBytes(name), TypeFlag = TarTypeFlag.HardLink, Mode = 0x1A4, MTime = MTime, LinkName = Encoding.UTF8.GetBytes(target) }, []);

    public static (TarEntryHeader, byte[]) Fifo(string name) =>
        (new TarEntryHeader { Name = Encoding.UTF8.GetBytes(name), TypeFlag = TarTypeFlag.Fifo, Mode = 0x1A4, MTime = MTime }, []);

    public static (TarEntryHeader, byte[]) CharDevice(string name, int major, int minor) =>
        (new TarEntryHeader { Name = Encoding.UTF8.GetBytes(name), TypeFlag = TarTypeFlag.CharacterDevice, Mode = 0x1B6, MTime = MTime, DevMajor = major, DevMinor = minor }, []);

    /// <summary>A gzip tar volume holding the entries as given (no sorting, no checks).</summary>
    public static byte[] GzipTar(IEnumerable<(TarEntryHeader Header, byte[] Data)> entries)
    {
        using var raw = new MemoryStream();
        foreach (var (h, data) in entries)
        {
            TarHeaderWriter.Write(h, raw);
            raw.Write(data);
            TarHeaderWriter.WritePadding(raw, data.Length);
        }
        TarHeaderWriter.WriteEndOfArchive(raw, raw.Length);
        using var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write(raw.ToArray());
        return gz.ToArray();
    }

    /// <summary>The volume and a manifest that vouches for it, as a backend's files.</summary>
    public static IReadOnlyDictionary<string, byte[]> Files(params (TarEntryHeader Header, byte[] Data)[] entries)
    {
        var volume = GzipTar(entries);
        var manifest = new Manifest { Hostname = "host", LocalDir = "src"u8.ToArray() };
        var v = new ManifestVolume { Number = 1, StartPath = IndexPath.Root, EndPath = IndexPath.Parse("zzz") };
#pragma warning disable CA5350 // The manifest format mandates SHA-1 volume hashes; the test computes them (no secret).
        v.SetHash("SHA1", Convert.ToHexStringLower(SHA1.HashData(volume)));
#pragma warning restore CA5350
        manifest.Volumes[1] = v;
        manifest.Filelist = [];
        return new Dictionary<string, byte[]> { [VolumeName] = volume, [ManifestName] = ManifestWriter.ToBytes(manifest) };
    }

    /// <summary>An in-memory backend holding such a backup.</summary>
    public static InMemoryBackend Backend(params (TarEntryHeader Header, byte[] Data)[] entries)
    {
        var backend = new InMemoryBackend();
        foreach (var (name, content) in Files(entries)) backend.SetContent(name, content);
        return backend;
    }
}
