using Duplicity.Archive.Naming;
using Duplicity.Collections;
using Duplicity.Repository;

namespace Duplicity.Sessions.Backup;

/// <summary>
/// The partial manifests and signatures an interrupted run left in the archive dir, and the interrupted
/// run's signatures a resume set aside (<see cref="PreviousSignaturesPath"/>).
/// </summary>
internal static class PartialFiles
{
    private const string PreviousSuffix = ".previous";

    /// <summary>
    /// Where a resume keeps the interrupted run's partial signature file <paramref name="signaturesPart"/>
    /// while it writes the new one in its place. The resume deletes it when done; one killed before that
    /// leaves it, and it then goes with its set's partial files (<see cref="DeleteAll"/>).
    /// </summary>
    public static string PreviousSignaturesPath(string signaturesPart) => signaturesPart + PreviousSuffix;

    /// <summary>
    /// Deletes every partial file but those of <paramref name="keep"/> (the set being resumed), the
    /// signatures a resume set aside included. A backup holds the archive dir's lock, so no other run is
    /// writing them; left in place, a stale partial would be taken for a set to resume.
    /// </summary>
    public static void DeleteAll(BackupRepository repository, BackupSet? keep)
    {
        foreach (var name in repository.Cache.ListFileNames())
        {
            // Recognised by its own suffix: that the name parser also takes it for a partial file (it
            // ignores what follows a known name) is not something to rely on.
            bool previous = name.EndsWith(PreviousSuffix, StringComparison.Ordinal);
            var partialName = previous ? name[..^PreviousSuffix.Length] : name;
            if (RemoteFileName.TryParse(partialName, repository.Naming) is not { IsPartial: true } p || !(p.IsManifest || p.IsSignatures)) continue;
            if (previous && !p.IsSignatures) continue;
            bool full = p.Kind is RemoteFileKind.FullManifest or RemoteFileKind.FullSignatures;
            if (keep != null && keep.IsFull == full && keep.StartSeconds == p.StartTime && keep.EndSeconds == p.EndTime) continue;
            repository.Cache.Delete(name);
        }
    }
}
