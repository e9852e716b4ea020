using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Duplicity.Files;

namespace Duplicity.Tests.Files.Portable;

/// <summary>A source tree of what the portable layer can hold, and a look at the owners an archive stored.</summary>
internal static class PortableTree
{
    /// <summary>Files (modes, contents, a multi-block one), folders, nested folders, links (to a file, a folder, nowhere), set mtimes.</summary>
    public static void Create(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "sub", "nested"));
        Directory.CreateDirectory(Path.Combine(root, "emptydir"));
        Write(root, "a.txt", "alpha\n"u8.ToArray(), 0x1A4, 1_600_000_001);
        var big = new byte[1_500_000];
        new Random(11).NextBytes(big);
        Write(root, "big.bin", big, 0x180, 1_600_000_002);
        Write(root, "run.sh", "#!/bin/sh\n"u8.ToArray(), 0x1ED, 1_600_000_003);
        Write(root, "\u00fcn\u00efc\u00f8d\u00e9 name.txt", "unicode\n"u8.ToArray(), 0x1A4, 1_600_000_004);
        Write(root, "sub/nested/deep.txt", "deep\n"u8.ToArray(), 0x1A4, 1_600_000_005);
        Write(root, "empty.txt", [], 0x124, 1_600_000_006);
        File.CreateSymbolicLink(Path.Combine(root, "link"), "a.txt");
        File.CreateSymbolicLink(Path.Combine(root, "dirlink"), "sub/nested");
        File.CreateSymbolicLink(Path.Combine(root, "dangling"), "/nonexistent/target");
        SetDirectory(Path.Combine(root, "emptydir"), 0x1E8, 1_600_000_100);
        SetDirectory(Path.Combine(root, "sub", "nested"), 0x1ED, 1_600_000_101);
        SetDirectory(Path.Combine(root, "sub"), 0x1C0, 1_600_000_102);
        SetDirectory(root, 0x1ED, 1_600_000_103);
    }

    public static void Write(string root, string relative, byte[] content, int mode, long mtime)
    {
        var path = Path.Combine(root, relative);
        File.WriteAllBytes(path, content);
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(mtime));
    }

    public static void SetDirectory(string path, int mode, long mtime)
    {
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        Directory.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(mtime));
    }

    /// <summary>Every (name, uid, user name) the signature archives under <paramref name="remote"/> hold.</summary>
    public static List<(string Name, int Uid, string UserName)> StoredOwners(string remote)
    {
        var owners = new List<(string, int, string)>();
        foreach (var file in Directory.GetFiles(remote, "*.sigtar.gz"))
        {
            using var gz = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var tar = new TarReader(gz);
            while (tar.GetNextEntry() is { } entry)
                owners.Add((entry.Name, entry.Uid, entry is PosixTarEntry p ? p.UserName : ""));
        }
        return owners;
    }

    public static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>Gives a file another owner (as root) so a layer that reads owners sees a difference.</summary>
    public static void Chown(string path, uint uid) => Posix.Lchown(B(path), uid, uid);
}
