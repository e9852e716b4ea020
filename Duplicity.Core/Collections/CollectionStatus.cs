using Duplicity.Archive.Naming;

namespace Duplicity.Collections;

/// <summary>
/// duplicity's picture of a repository, built from the backend's file names and the local cache:
/// backup sets grouped into chains, signature chains, the primary (matched) chain, and the orphaned or
/// incomplete files that <c>cleanup</c> would remove.
/// </summary>
public sealed class CollectionStatus
{
    private CollectionStatus() { }

    /// <summary>Complete backup chains, sorted by end time.</summary>
    public IReadOnlyList<BackupChain> Chains { get; private set; } = [];

    /// <summary>The newest chain when a signature chain matches it (incrementals build on this one).</summary>
    public BackupChain? PrimaryChain { get; private set; }

    /// <summary>The signature chain matched to <see cref="PrimaryChain"/>.</summary>
    public SignatureChain? MatchedSignatureChain { get; private set; }

    /// <summary>Every chain other than the primary one.</summary>
    public IReadOnlyList<BackupChain> SecondaryChains => Chains.Where(c => c != PrimaryChain).ToList();

    /// <summary>Complete incremental sets that fit no chain.</summary>
    public IReadOnlyList<BackupSet> OrphanedSets { get; private set; } = [];

    /// <summary>Sets without a manifest (and sets dropped for lack of signatures).</summary>
    public IReadOnlyList<BackupSet> IncompleteSets { get; private set; } = [];

    /// <summary>Signature chains in the local cache.</summary>
    public IReadOnlyList<SignatureChain> LocalSignatureChains { get; private set; } = [];

    /// <summary>Signature chains on the backend.</summary>
    public IReadOnlyList<SignatureChain> RemoteSignatureChains { get; private set; } = [];

    /// <summary>New-signatures files on the backend that fit no chain.</summary>
    public IReadOnlyList<string> OrphanedRemoteSignatureFiles { get; private set; } = [];

    /// <summary>New-signatures files in the local cache that fit no chain.</summary>
    public IReadOnlyList<string> OrphanedLocalSignatureFiles { get; private set; } = [];

    /// <summary>
    /// The newest set when an interrupted backup left it: volumes on the backend and a partial manifest
    /// in the archive dir, but no manifest on the backend. The next backup resumes it.
    /// </summary>
    public BackupSet? InterruptedSet { get; private set; }

    /// <summary>
    /// Signature files stored for sets whose manifest never reached the backend (a backup stopped
    /// between the two stores). They would extend the signature chain past the last complete set, so
    /// the next backup deletes them and <c>cleanup</c> lists them.
    /// </summary>
    public IReadOnlyList<string> UncommittedSignatureFiles => [.. UncommittedLocalSignatureFiles, .. UncommittedRemoteSignatureFiles];

    internal IReadOnlyList<string> UncommittedLocalSignatureFiles { get; private set; } = [];

    internal IReadOnlyList<string> UncommittedRemoteSignatureFiles { get; private set; } = [];

    /// <summary>True when a discarded last set was counted as incomplete (its signatures are missing).</summary>
    public bool DiscardedLastSet { get; private set; }

    /// <summary>The newest full backup's time among all chains, or null when there is none.</summary>
    public DateTimeOffset? LastFullBackupTime => Chains.Count == 0 ? null : Chains.Max(c => c.Full.EndTime);

    /// <summary>
    /// What is wrong with the repository, in the order duplicity reports it: orphaned signature files
    /// (local, then remote), signatures without backups, incomplete sets, orphaned sets.
    /// </summary>
    public IReadOnlyList<RepositoryWarning> Warnings
    {
        get
        {
            var warnings = new List<RepositoryWarning>();
            if (OrphanedLocalSignatureFiles.Count > 0)
                warnings.Add(new(RepositoryWarningKind.OrphanedLocalSignatures, OrphanedLocalSignatureFiles, []));
            if (OrphanedRemoteSignatureFiles.Count > 0)
                warnings.Add(new(RepositoryWarningKind.OrphanedRemoteSignatures, OrphanedRemoteSignatureFiles, []));
            if (PrimaryChain == null && LocalSignatureChains.Count + RemoteSignatureChains.Count > 0)
                warnings.Add(new(RepositoryWarningKind.SignaturesWithoutBackups, [], []));
            if (IncompleteSets.Count > 0)
                warnings.Add(new(RepositoryWarningKind.IncompleteSets, [], IncompleteSets));
            if (OrphanedSets.Count > 0)
                warnings.Add(new(RepositoryWarningKind.OrphanedSets, [], OrphanedSets));
            return warnings;
        }
    }

    /// <summary>The local cache folder this status was read with (null when none).</summary>
    public string? ArchiveDirectory { get; internal set; }

    /// <summary>
    /// The files <c>cleanup</c> removes: those of orphaned and incomplete backup sets, and orphaned
    /// signature files, in the local cache and on the backend.
    /// </summary>
    public (IReadOnlyList<string> Local, IReadOnlyList<string> Remote) GetExtraneousFiles()
    {
        var remote = OrphanedSets.Concat(IncompleteSets)
            .SelectMany(s => s.Volumes.Values.Append(s.ManifestName).OfType<string>())
            .Concat(OrphanedRemoteSignatureFiles).Concat(UncommittedRemoteSignatureFiles).ToList();
        return (OrphanedLocalSignatureFiles.Concat(UncommittedLocalSignatureFiles).ToList(), remote);
    }

    /// <summary>Groups file names as duplicity does (archive-format §8).</summary>
    public static CollectionStatus Build(IEnumerable<string> remoteNames, IEnumerable<string> localNames, FileNamingOptions naming)
    {
        ArgumentNullException.ThrowIfNull(naming);
        var status = new CollectionStatus();
        var remote = Parse(remoteNames, naming);
        var local = Parse(localNames, naming);

        var sets = new Dictionary<(bool Full, long Start, long End), BackupSet>();
        BackupSet SetFor(RemoteFileName p)
        {
            bool full = p.Kind is RemoteFileKind.FullVolume or RemoteFileKind.FullManifest;
            var key = (full, p.StartTime, p.EndTime);
            if (!sets.TryGetValue(key, out var set)) sets[key] = set = new BackupSet(full, p.StartTime, p.EndTime);
            return set;
        }
        foreach (var (name, p) in remote)
            if (p.IsVolume || p.IsManifest) SetFor(p).Add(name, p);
        // An interrupted run's local partial manifest stands in for the missing remote one.
        foreach (var (name, p) in local)
            if (p.IsManifest && p.IsPartial)
            {
                var key = (p.Kind == RemoteFileKind.FullManifest, p.StartTime, p.EndTime);
                if (sets.TryGetValue(key, out var set)) set.LocalPartialManifestName = name;
            }

        var incomplete = sets.Values.Where(s => !s.IsComplete).ToList();
        var chains = new List<BackupChain>();
        var orphaned = new List<BackupSet>();
        foreach (var set in sets.Values.Where(s => s.IsComplete).OrderBy(s => s.EndSeconds))
        {
            if (set.IsFull) { chains.Add(new BackupChain(set)); continue; }
            if (!chains.Any(c => c.TryAdd(set))) orphaned.Add(set);
        }
        chains.Sort((a, b) => a.EndSeconds.CompareTo(b.EndSeconds));

        status.RemoteSignatureChains = BuildSignatureChains(remote, isLocal: false, out var orphanRemote);
        status.LocalSignatureChains = BuildSignatureChains(local, isLocal: true, out var orphanLocal);
        status.OrphanedRemoteSignatureFiles = orphanRemote;
        status.OrphanedLocalSignatureFiles = orphanLocal;

        // Remote first, local last on equal end times, so walking from the end prefers the local copy.
        var allSignatureChains = status.RemoteSignatureChains.Select((c, i) => (c, order: 0, i))
            .Concat(status.LocalSignatureChains.Select((c, i) => (c, order: 1, i)))
            .OrderBy(x => x.c.EndTime).ThenBy(x => x.order).ThenBy(x => x.i)
            .Select(x => x.c).ToList();

        if (chains.Count > 0)
        {
            var latest = chains[^1];
            if (latest.Sets.Last() is { ManifestName: null, LocalPartialManifestName: not null } interrupted)
                status.InterruptedSet = interrupted;
            var match = allSignatureChains.LastOrDefault(s => s.EndSeconds == latest.EndSeconds);
            if (match == null)
            {
                // Signatures stored ahead of a manifest that never came: the chain still ends at the
                // last complete set once they are set aside.
                var ahead = allSignatureChains.LastOrDefault(s => s.EndsAfter(latest.EndSeconds));
                if (ahead != null)
                {
                    status.UncommittedLocalSignatureFiles = FilesAfter(status.LocalSignatureChains, latest.EndSeconds);
                    status.UncommittedRemoteSignatureFiles = FilesAfter(status.RemoteSignatureChains, latest.EndSeconds);
                    match = ahead.TruncatedAt(latest.EndSeconds);
                }
            }
            if (match == null && latest.Incrementals.Count >= 2)
            {
                long previousEnd = latest.Incrementals[^2].EndSeconds;
                match = allSignatureChains.LastOrDefault(s => s.EndSeconds == previousEnd);
                if (match != null)
                {
                    incomplete.Add(latest.DropLast());
                    status.DiscardedLastSet = true;
                }
            }
            if (match != null)
            {
                status.PrimaryChain = latest;
                status.MatchedSignatureChain = match;
            }
        }

        status.Chains = chains;
        status.OrphanedSets = orphaned;
        status.IncompleteSets = incomplete;
        return status;
    }

    /// <summary>
    /// The chain a restore at <paramref name="time"/> uses: the one covering the time, else the latest
    /// ending before it, else the earliest.
    /// </summary>
    /// <exception cref="DuplicityException">No chains, or two chains cover the time.</exception>
    public BackupChain GetChainForTime(DateTimeOffset time) => GetChainForTime(time.ToUnixTimeSeconds());

    internal BackupChain GetChainForTime(long time)
    {
        if (Chains.Count == 0) throw new DuplicityException(DuplicityErrorCode.Unexpected, "No backup chains found");
        var covering = Chains.Where(c => c.StartSeconds <= time && time <= c.EndSeconds).ToList();
        if (covering.Count > 1) throw new DuplicityException(DuplicityErrorCode.Unexpected, "Two chains cover the given time");
        if (covering.Count == 1) return covering[0];
        var before = Chains.Where(c => c.EndSeconds < time).ToList();
        return before.Count > 0 ? before[^1] : Chains[0];
    }

    private static List<string> FilesAfter(IEnumerable<SignatureChain> chains, long end) =>
        chains.SelectMany(c => c.NamesAfter(end)).Distinct().ToList();

    private static List<(string Name, RemoteFileName Parsed)> Parse(IEnumerable<string> names, FileNamingOptions naming)
    {
        var list = new List<(string, RemoteFileName)>();
        foreach (var name in names)
            if (RemoteFileName.TryParse(name, naming) is { } parsed) list.Add((name, parsed));
        return list;
    }

    private static List<SignatureChain> BuildSignatureChains(List<(string Name, RemoteFileName Parsed)> files, bool isLocal, out List<string> orphans)
    {
        orphans = [];
        var chains = files.Where(f => f.Parsed.Kind == RemoteFileKind.FullSignatures && !f.Parsed.IsPartial)
            .OrderBy(f => f.Parsed.EndTime)
            .Select(f => new SignatureChain(isLocal, f.Name, f.Parsed)).ToList();
        foreach (var f in files.Where(f => f.Parsed.Kind == RemoteFileKind.NewSignatures && !f.Parsed.IsPartial).OrderBy(f => f.Parsed.StartTime))
            if (!chains.Any(c => c.TryAdd(f.Name, f.Parsed))) orphans.Add(f.Name);
        chains.Sort((a, b) => a.EndSeconds.CompareTo(b.EndSeconds));
        return chains;
    }
}
