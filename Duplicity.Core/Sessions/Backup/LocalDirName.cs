using System.Text;

namespace Duplicity.Sessions.Backup;

/// <summary>The source folder as duplicity records it in manifests: <c>.</c> parts and extra slashes removed.</summary>
internal static class LocalDirName
{
    public static byte[] Canonical(string source)
    {
        var parts = source.Split('/').Where(p => p.Length > 0 && p != ".");
        var joined = string.Join('/', parts);
        if (source.StartsWith('/')) joined = "/" + joined;
        else if (joined.Length == 0) joined = ".";
        return Encoding.UTF8.GetBytes(joined);
    }
}
