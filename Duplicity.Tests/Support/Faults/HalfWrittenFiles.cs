using System.Security.Cryptography;
using System.Text;
using Duplicity.Files;

namespace Duplicity.Tests.Support.Faults;

/// <summary>
/// After a restore that failed: regular files in the target that are not byte-identical to the source's
/// file of that path, i.e. half-written or corrupt data under a final name (files not restored at all are fine).
/// </summary>
public static class HalfWrittenFiles
{
    public static IReadOnlyList<string> In(string sourceRoot, string targetRoot)
    {
        if (!Directory.Exists(targetRoot)) return [];
        var bad = new List<string>();
        foreach (var path in Directory.EnumerateFiles(targetRoot, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            // Regular files only: opening a restored fifo would block.
            if (!Posix.TryLstat(Encoding.UTF8.GetBytes(path), out var st) || st.EntryType != FileEntryType.Regular) continue;
            var source = Path.Combine(sourceRoot, Path.GetRelativePath(targetRoot, path));
            if (!File.Exists(source) || !SameBytes(source, path)) bad.Add(Path.GetRelativePath(targetRoot, path));
        }
        return bad;
    }

    private static bool SameBytes(string a, string b)
    {
        if (new FileInfo(a).Length != new FileInfo(b).Length) return false;
        using var sa = File.OpenRead(a);
        using var sb = File.OpenRead(b);
        return SHA256.HashData(sa).AsSpan().SequenceEqual(SHA256.HashData(sb));
    }
}
