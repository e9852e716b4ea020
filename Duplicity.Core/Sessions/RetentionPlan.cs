using Duplicity.Archive.Naming;
using Duplicity.Backends;
using Duplicity.Collections;
using Duplicity.Diagnostics;
using Duplicity.Repository;

namespace Duplicity.Sessions;

/// <summary>What a <see cref="RetentionPolicy"/> would delete; <see cref="ApplyAsync"/> deletes it.</summary>
public sealed class RetentionPlan
{
    internal RetentionPlan(long cutoff, bool incrementalsOnly, IReadOnlyList<BackupSet> required, bool primaryOlder,
        IReadOnlyList<BackupChain> chains, IReadOnlyList<SignatureChain> signatureChains)
    {
        CutoffSeconds = cutoff;
        IncrementalsOnly = incrementalsOnly;
        RequiredOldSets = required;
        PrimaryChainIsOlderThanCutoff = primaryOlder;
        Chains = chains;
        SignatureChains = signatureChains;
    }

    /// <summary>Chains ending before this time are removed.</summary>
    public DateTimeOffset CutoffTime => DateTimeOffset.FromUnixTimeSeconds(CutoffSeconds);

    internal long CutoffSeconds { get; }

    /// <summary>True when only incremental sets and incremental signature files are removed.</summary>
    public bool IncrementalsOnly { get; }

    /// <summary>Sets older than the cutoff that stay because newer sets depend on them.</summary>
    public IReadOnlyList<BackupSet> RequiredOldSets { get; }

    /// <summary>True when the primary chain itself ended before the cutoff (it is kept anyway).</summary>
    public bool PrimaryChainIsOlderThanCutoff { get; }

    /// <summary>The backup chains removed (only their incrementals with <see cref="IncrementalsOnly"/>).</summary>
    public IReadOnlyList<BackupChain> Chains { get; }

    /// <summary>The signature chains removed (local and remote).</summary>
    public IReadOnlyList<SignatureChain> SignatureChains { get; }

    /// <summary>True when nothing would be deleted.</summary>
    public bool IsEmpty => Chains.Count == 0;

    /// <summary>
    /// Deletes the plan's files, newest first: each chain's incrementals then (unless incrementals only)
    /// its full set, with the archive dir's copies of their manifests and signatures; then the old signature
    /// chains. Returns the remote and local file names deleted.
    /// </summary>
    /// <param name="repository">The open repository the plan was made for.</param>
    /// <param name="cancellationToken">Cancels between deletions.</param>
    public async Task<IReadOnlyList<string>> ApplyAsync(BackupRepository repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var backend = repository.Backend;
        var naming = repository.Naming;
        var logger = repository.CreateLogger<RetentionPlan>();
        var archive = repository.Cache;
        var deleted = new List<string>();
        var localFiles = archive.ListFileNames();
        foreach (var chain in Chains.OrderByDescending(c => c.EndSeconds))
        {
            var sets = chain.Incrementals.Reverse().ToList();
            if (!IncrementalsOnly) sets.Add(chain.Full);
            foreach (var set in sets)
            {
                var remote = set.Volumes.Values.Append(set.ManifestName).OfType<string>().ToList();
                await backend.DeleteAsync(remote, cancellationToken).ConfigureAwait(false);
                deleted.AddRange(remote);
                foreach (var local in localFiles)
                {
                    if (RemoteFileName.TryParse(local, naming) is not { } p) continue;
                    bool sameSet = p.StartTime == set.StartSeconds && p.EndTime == set.EndSeconds && p.IsIncremental == !set.IsFull;
                    if (sameSet && (p.IsManifest || p.IsSignatures)) { archive.Delete(local); deleted.Add(local); }
                }
            }
        }
        foreach (var sig in SignatureChains.OrderByDescending(s => s.EndSeconds))
        {
            var names = sig.Incrementals.Select(i => i.Name).Reverse().ToList();
            if (!IncrementalsOnly) names.Add(sig.FullSignatures.Name);
            if (sig.IsLocal)
            {
                foreach (var n in names) archive.Delete(n);
            }
            else
            {
                await backend.DeleteAsync(names, cancellationToken).ConfigureAwait(false);
            }
            deleted.AddRange(names);
        }
        RetentionLog.Deleted(logger, deleted.Count);
        return deleted;
    }
}
