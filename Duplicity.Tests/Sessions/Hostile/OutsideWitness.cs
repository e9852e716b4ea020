using System.Security.Cryptography;
using System.Text;
using Duplicity.Files;

namespace Duplicity.Tests.Sessions.Hostile;

/// <summary>
/// A folder next to the restore target that a hostile archive would like to reach: it holds a
/// file and a subfolder with known contents and modes, and <see cref="AssertUnchanged"/> compares
/// every object's type, mode, owner, size, mtime, content and link target with the first look.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class OutsideWitness
{
    private readonly string _state;

    public OutsideWitness(string parent)
    {
        Path = System.IO.Path.Combine(parent, "outside");
        Directory.CreateDirectory(Path);
        var secret = System.IO.Path.Combine(Path, "secret.txt");
        System.IO.File.WriteAllText(secret, "do not touch\n");
        System.IO.File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var sub = System.IO.Path.Combine(Path, "sub");
        Directory.CreateDirectory(sub);
        System.IO.File.WriteAllText(System.IO.Path.Combine(sub, "keep.txt"), "keep\n");
        System.IO.File.SetUnixFileMode(sub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        System.IO.File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        _state = Describe();
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    public void AssertUnchanged() => Assert.That(Describe(), Is.EqualTo(_state), "the folder outside the target changed");

    private string Describe()
    {
        var text = new StringBuilder();
        Walk(Encoding.UTF8.GetBytes(Path), ".", text);
        return text.ToString();
    }

    private static void Walk(byte[] path, string relative, StringBuilder text)
    {
        var st = Posix.Lstat(path);
        text.Append($"{relative} mode={st.Mode:x} uid={st.Uid} gid={st.Gid} size={st.Size} mtime={st.MTimeSeconds}.{st.MTimeNanoseconds}");
        if (st.IsSymlink) text.Append(" -> ").Append(Encoding.UTF8.GetString(Posix.ReadLink(path)));
        if (st.IsRegular) text.Append(" sha256=").Append(Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes(Encoding.UTF8.GetString(path)))));
        text.Append('\n');
        if (!st.IsDirectory) return;
        var names = Posix.ReadDirectory(path);
        names.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        foreach (var name in names) Walk(LocalFile.Join(path, name), relative + "/" + Encoding.UTF8.GetString(name), text);
    }
}
