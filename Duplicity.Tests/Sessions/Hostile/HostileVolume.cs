using System.Text;
using Duplicity.Archive.Tar;
using Duplicity.Backends;

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
    public static byte[] GzipTar(IEnumerable<(TarEntryHeader Header, byte[] Data)> entries) => CraftedArchive.Gzip(CraftedArchive.Tar([.. entries]));

    /// <summary>The volume and a manifest that vouches for it, as a backend's files.</summary>
    public static IReadOnlyDictionary<string, byte[]> Files(params (TarEntryHeader Header, byte[] Data)[] entries)
    {
        var volume = GzipTar(entries);
        return new Dictionary<string, byte[]> { [VolumeName] = volume, [ManifestName] = CraftedArchive.ManifestFor(volume) };
    }

    /// <summary>An in-memory backend holding such a backup.</summary>
    public static InMemoryBackend Backend(params (TarEntryHeader Header, byte[] Data)[] entries)
    {
        var backend = new InMemoryBackend();
        foreach (var (name, content) in Files(entries)) backend.SetContent(name, content);
        return backend;
    }
}
