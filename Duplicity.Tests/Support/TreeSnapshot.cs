using System.Security.Cryptography;
using System.Text;
using Duplicity.Files;

namespace Duplicity.Tests.Support;

/// <summary>
/// A description of every object below a folder (type, mode, owner, mtime, content hash, link
/// target, device numbers), keyed by raw relative path, so two trees can be compared exactly.
/// </summary>
public static class TreeSnapshot
{
    /// <summary>One line per object, sorted; symlink mtimes are left out (duplicity does not restore them).</summary>
    public static IReadOnlyList<string> Describe(string root, bool includeOwner = true, bool includeRootMtime = true)
    {
        var lines = new List<string>();
        Visit(Encoding.UTF8.GetBytes(root), "", lines, includeOwner, includeRootMtime);
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static void Visit(byte[] path, string relative, List<string> lines, bool includeOwner, bool includeRootMtime)
    {
        var st = Posix.Lstat(path);
        var name = relative.Length == 0 ? "." : relative;
        var owner = includeOwner ? $" {st.Uid}:{st.Gid}" : "";
        string mode = Convert.ToString(st.Mode & 0xFFF, 8);
        long mtime = relative.Length == 0 && !includeRootMtime ? 0 : st.MTimeSeconds;
        switch (st.EntryType)
        {
            case FileEntryType.Directory:
                lines.Add($"{name} dir {mode}{owner} {mtime}");
                foreach (var child in Posix.ReadDirectory(path))
                {
                    var childRel = relative.Length == 0 ? Escape(child) : relative + "/" + Escape(child);
                    var childPath = new byte[path.Length + 1 + child.Length];
                    path.CopyTo(childPath, 0);
                    childPath[path.Length] = (byte)'/';
                    child.CopyTo(childPath, path.Length + 1);
                    Visit(childPath, childRel, lines, includeOwner, includeRootMtime);
                }
                break;
            case FileEntryType.Regular:
                using (var handle = Posix.OpenRead(path))
                using (var stream = new FileStream(handle, FileAccess.Read))
                    lines.Add($"{name} file {mode}{owner} {mtime} {st.Size} {Convert.ToHexStringLower(SHA256.HashData(stream))}");
                break;
            case FileEntryType.Symlink:
                lines.Add($"{name} symlink{owner} -> {Escape(Posix.ReadLink(path))}");
                break;
            case FileEntryType.Fifo:
                lines.Add($"{name} fifo {mode}{owner} {mtime}");
                break;
            default:
                lines.Add($"{name} {st.EntryType} {mode}{owner} {mtime} {st.RdevMajor},{st.RdevMinor}");
                break;
        }
    }

    /// <summary>Raw bytes as text; bytes that are not valid UTF-8 become \xNN so they stay distinct.</summary>
    private static string Escape(byte[] raw)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            return string.Concat(raw.Select(b => b < 0x80 ? ((char)b).ToString() : $"\\x{b:x2}"));
        }
    }
}
