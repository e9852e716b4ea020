using Duplicity.Archive.Naming;
using Duplicity.Collections;
using Duplicity.Repository;

namespace Duplicity.Sessions.Backup;

/// <summary>The partial manifests and signatures an interrupted run left in the archive dir.</summary>
internal static class PartialFiles
{
    /// <summary>
    /// Deletes every partial file but those of <paramref name="keep"/> (the set being resumed). A
    /// backup holds the archive dir's lock, so no other run is writing them; left in place, a stale
    /// partial would be taken for a set to resume.
    /// </summary>
    public static void DeleteAll(BackupRepository repository, BackupSet? keep)
    {
        foreach (var name in repository.Cache.ListFileNames())
        {
            if (RemoteFileName.TryParse(name, repository.Naming) is not { IsPartial: true } p || !(p.IsManifest || p.IsSignatures)) continue;
            bool full = p.Kind is RemoteFileKind.FullManifest or RemoteFileKind.FullSignatures;
            if (keep != null && keep.IsFull == full && keep.StartSeconds == p.StartTime && keep.EndSeconds == p.EndTime) continue;
            repository.Cache.Delete(name);
        }
    }
}
