using System.Text;
using Duplicity.Files;

namespace Duplicity.Tests.Support;

/// <summary>Builds source trees with every entry type duplicity stores.</summary>
public static class TestTree
{
    public static bool IsRoot => Posix.GetEffectiveUserId() == 0;

    /// <summary>
    /// Regular, empty and multi-chunk files, directories, symlinks, a fifo, devices (as root), odd
    /// names (spaces, tab, quotes, non-ASCII, not UTF-8, 255 bytes), a deep tree and varied modes.
    /// </summary>
    public static void CreateEveryKind(string root, int bigFileBytes = 300_000, int seed = 7)
    {
        var rnd = new Random(seed);
        Directory.CreateDirectory(root);
        Write(root, "a.txt", "alpha\n"u8.ToArray(), 0x1A4);
        Write(root, "empty.txt", [], 0x1A4);
        var big = new byte[bigFileBytes];
        rnd.NextBytes(big);
        Write(root, "big.bin", big, 0x1A4);
        Write(root, "exact64k.bin", new byte[65536], 0x180);
        Write(root, "file with space.txt", "spaces\n"u8.ToArray(), 0x1A4);
        Write(root, "tab\there \"quoted\" 'single'.txt", "odd\n"u8.ToArray(), 0x1A4);
        Write(root, "\u00fcn\u00efc\u00f8d\u00e9.txt", "unicode\n"u8.ToArray(), 0x1A4);
        Write(root, new string('L', 255), "long name\n"u8.ToArray(), 0x1A4);
        Write(root, "setuid-sticky", "x"u8.ToArray(), 0xDED); // 06755
        Write(root, "private.key", "secret"u8.ToArray(), 0x180);
        Directory.CreateDirectory(Path.Combine(root, "sub", "nested"));
        Write(root, "sub/nested/deep.txt", "deep\n"u8.ToArray(), 0x1A4);
        Write(root, "a-b", "dash\n"u8.ToArray(), 0x1A4);
        Directory.CreateDirectory(Path.Combine(root, "a"));
        Write(root, "a/b", "slash\n"u8.ToArray(), 0x1A4);
        Directory.CreateDirectory(Path.Combine(root, "emptydir"));
        Posix.Chmod(Encoding.UTF8.GetBytes(Path.Combine(root, "emptydir")), 0x1E8); // 0750

        // A name that is not UTF-8 must survive as raw bytes.
        var rawName = new byte[] { (byte)'r', (byte)'a', (byte)'w', 0xff, 0xfe, (byte)'.', (byte)'b', (byte)'i', (byte)'n' };
        var rawPath = Join(Encoding.UTF8.GetBytes(root), rawName);
        using (var h = Posix.CreateExclusive(rawPath, 0x1A4))
        using (var fs = new FileStream(h, FileAccess.Write))
            fs.Write("raw bytes\n"u8);

        Posix.Symlink("a.txt"u8, Encoding.UTF8.GetBytes(Path.Combine(root, "link")));
        Posix.Symlink("/nonexistent/target"u8, Encoding.UTF8.GetBytes(Path.Combine(root, "dangling")));
        Posix.Mkfifo(Encoding.UTF8.GetBytes(Path.Combine(root, "fifo")), 0x1A4);
        if (IsRoot)
        {
            Posix.Mknod(Encoding.UTF8.GetBytes(Path.Combine(root, "chardev")), FileEntryType.CharacterDevice, 0x1B0, 1, 3);
            Posix.Mknod(Encoding.UTF8.GetBytes(Path.Combine(root, "blockdev")), FileEntryType.BlockDevice, 0x1B0, 7, 0);
            Posix.Lchown(Encoding.UTF8.GetBytes(Path.Combine(root, "a.txt")), 1, 1); // daemon, by name on Debian
            Posix.Lchown(Encoding.UTF8.GetBytes(Path.Combine(root, "empty.txt")), 54321, 54321); // no such user
        }

        var deep = root;
        for (int i = 0; i < 40; i++) deep = Path.Combine(deep, $"d{i}");
        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(deep, "bottom.txt"), "bottom\n");

        // Fixed mtimes (directories last, deepest first, so their contents do not bump them).
        long t = 1_600_000_000;
        foreach (var f in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).OrderByDescending(p => p.Length))
        {
            var bytes = Encoding.UTF8.GetBytes(f);
            if (Posix.TryLstat(bytes, out var st) && !st.IsSymlink) Posix.SetModificationTime(bytes, t + (f.Length % 1000));
        }
        Posix.SetModificationTime(rawPath, t + 5);
        Posix.SetModificationTime(Encoding.UTF8.GetBytes(root), t);
    }

    private static void Write(string root, string relative, byte[] content, int mode)
    {
        var path = Path.Combine(root, relative);
        File.WriteAllBytes(path, content);
        Posix.Chmod(Encoding.UTF8.GetBytes(path), mode);
    }

    private static byte[] Join(byte[] dir, byte[] name)
    {
        var r = new byte[dir.Length + 1 + name.Length];
        dir.CopyTo(r, 0);
        r[dir.Length] = (byte)'/';
        name.CopyTo(r, dir.Length + 1);
        return r;
    }
}
