using System.Globalization;
using System.Text;
using Duplicity.Diagnostics;
using Duplicity.Files;
using Microsoft.Extensions.Logging;

namespace Duplicity.IO;

/// <summary>
/// Removes private temp folders left by runs that were killed: a sibling
/// <c>duplicity-net-&lt;pid&gt;-&lt;start&gt;-&lt;random&gt;</c> folder owned by this user whose
/// process is gone (no such pid, or the pid now belongs to a process with another start marker).
/// Folders of live processes, of other users, symlinks and names of another form are left alone.
/// </summary>
internal static class StaleTempSweeper
{
    /// <summary>Sweeps the temp root; problems are logged, never thrown.</summary>
    public static void Sweep(string root, ILogger? logger)
    {
        // Without /proc a live process cannot be told from a dead one: sweep nothing.
        if (ProcessStartMarker.Current is null) return;
        // A TMPDIR that is itself a symlink (the user's choice) is listed at its target.
        if (new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true) is { } real) root = real.FullName;
        var layer = FileLayer.Current;
        // Without owners, a folder of another user could not be told from ours: sweep nothing.
        if (layer.EffectiveUserId is not { } me) return;
        var rootBytes = Encoding.UTF8.GetBytes(root);
        List<byte[]> names;
        try
        {
            names = layer.ReadDirectory(rootBytes);
        }
        catch (PosixException)
        {
            return;
        }
        foreach (var raw in names)
        {
            var name = Encoding.UTF8.GetString(raw);
            if (!TryParseOwner(name, out int pid, out long start) || IsAlive(pid, start)) continue;
            var path = LocalFile.Join(rootBytes, raw);
            // lstat: a symlink or a folder of someone else is never touched.
            if (!layer.TryLstat(path, out var st) || !st.IsDirectory || st.Uid != me) continue;
            try
            {
                PrivateTreeRemover.Remove(path);
                if (logger != null) CacheLog.StaleTempRemoved(logger, name, pid);
            }
            catch (IOException e)
            {
                if (logger != null) CacheLog.StaleTempNotRemoved(logger, name, e.Message);
            }
        }
    }

    /// <summary>Reads pid and start marker from a private temp folder's name.</summary>
    public static bool TryParseOwner(string name, out int pid, out long start)
    {
        pid = 0;
        start = 0;
        if (!name.StartsWith(PrivateTempDirectory.NamePrefix, StringComparison.Ordinal)) return false;
        var parts = name[PrivateTempDirectory.NamePrefix.Length..].Split('-');
        return parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out pid) && pid > 0
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out start)
            && parts[2].Length > 0;
    }

    private static bool IsAlive(int pid, long start) => ProcessStartMarker.Read(pid) is { } current && current == start;
}
