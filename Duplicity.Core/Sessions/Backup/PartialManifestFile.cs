using Duplicity.Archive.Manifests;
using Duplicity.IO;

namespace Duplicity.Sessions.Backup;

/// <summary>
/// Opens a set's partial manifest in the archive dir (duplicity's <c>*.manifest.part</c>) for
/// appending volume lines: a new one with its header, or, for a resumed set, one rewritten to hold the
/// header and the kept volumes only. Either is on disk before a volume is written.
/// </summary>
internal static class PartialManifestFile
{
    public static FileStream Open(string path, string hostname, ReadOnlySpan<byte> localDir, Manifest? resumed)
    {
        if (resumed == null)
        {
            var created = PrivateFile.Open(path, FileMode.Create, FileAccess.Write, FileShare.Read);
            new ManifestWriter(created).WriteHeader(hostname, localDir);
            created.Flush(flushToDisk: true);
            return created;
        }
        // Rewritten beside and renamed over, so a kill leaves the old or the new partial, never half of one.
        string rewritten = DurableFile.TemporaryPathFor(path);
        using (var file = PrivateFile.Open(rewritten, FileMode.CreateNew, FileAccess.Write))
        {
            var writer = new ManifestWriter(file);
            writer.WriteHeader(resumed.Hostname, resumed.LocalDir);
            foreach (var volume in resumed.Volumes.Values) writer.WriteVolume(volume);
        }
        DurableFile.Commit(rewritten, path);
        return PrivateFile.Open(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }
}
