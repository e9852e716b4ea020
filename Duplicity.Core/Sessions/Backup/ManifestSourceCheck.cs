using System.Text;
using Duplicity.Archive.Manifests;

namespace Duplicity.Sessions.Backup;

/// <summary>
/// duplicity's guard against writing two different sources into one chain: a manifest's host and
/// source folder must be this backup's, unless the source mismatch is allowed.
/// </summary>
internal static class ManifestSourceCheck
{
    /// <exception cref="DuplicityException">The host (code 3) or the source folder (code 42) differs.</exception>
    public static void ThrowIfMismatch(Manifest manifest, BackupOptions options)
    {
        if (options.AllowSourceMismatch) return;
        var host = options.Hostname ?? System.Net.Dns.GetHostName();
        if (manifest.Hostname != null && manifest.Hostname != host)
            throw new DuplicityException(DuplicityErrorCode.HostnameMismatch,
                $"Fatal Error: Backup source host has changed.\nCurrent hostname: {host}\nPrevious hostname: {manifest.Hostname}");
        var dir = LocalDirName.Canonical(options.Source);
        if (manifest.LocalDir != null && !manifest.LocalDir.AsSpan().SequenceEqual(dir))
            throw new DuplicityException(DuplicityErrorCode.SourceDirMismatch,
                $"Fatal Error: Backup source directory has changed.\nCurrent directory: {Encoding.UTF8.GetString(dir)}\nPrevious directory: {Encoding.UTF8.GetString(manifest.LocalDir)}");
    }
}
