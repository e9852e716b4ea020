using System.Text;
using Duplicity.Files;

namespace Duplicity.Tests.Files;

/// <summary>A temporary folder the tests fill through the native layer, so names may be any bytes.</summary>
internal sealed class ScratchTree : IDisposable
{
    public ScratchTree()
    {
        Root = Encoding.UTF8.GetBytes(Path.Combine(Path.GetTempPath(), "dup-posix-" + Guid.NewGuid().ToString("N")));
        Posix.Mkdir(Root, 0x1FF);
    }

    public byte[] Root { get; }

    public byte[] PathOf(string relative) => PathOf(Encoding.UTF8.GetBytes(relative));

    public byte[] PathOf(ReadOnlySpan<byte> relative) => relative.IsEmpty ? Root : LocalFile.Join(Root, relative);

    public byte[] Dir(ReadOnlySpan<byte> relative)
    {
        var path = PathOf(relative);
        Posix.Mkdir(path, 0x1ED);
        return path;
    }

    public byte[] Dir(string relative) => Dir(Encoding.UTF8.GetBytes(relative));

    public byte[] File(ReadOnlySpan<byte> relative, string content = "x")
    {
        var path = PathOf(relative);
        using var handle = Posix.CreateExclusive(path, 0x1A4);
        using var stream = new FileStream(handle, FileAccess.Write);
        stream.Write(Encoding.UTF8.GetBytes(content));
        return path;
    }

    public byte[] File(string relative, string content = "x") => File(Encoding.UTF8.GetBytes(relative), content);

    public static string ReadText(byte[] path)
    {
        using var stream = new FileStream(Posix.OpenRead(path), FileAccess.Read);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public void Dispose() => DeleteTree(Root);

    public static void DeleteTree(byte[] path)
    {
        if (!Posix.TryLstat(path, out var st)) return;
        if (st.IsDirectory)
        {
            Posix.Chmod(path, 0x1C0);
            foreach (var name in Posix.ReadDirectory(path)) DeleteTree(LocalFile.Join(path, name));
            Posix.Rmdir(path);
        }
        else Posix.Unlink(path);
    }
}
