using Duplicity.Archive.Naming;
using Duplicity.Backends;
using Duplicity.Cache;
using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Collections;

/// <summary>What a <see cref="RetentionPolicy"/> would delete; <see cref="ApplyAsync"/> deletes it.</summary>
public sealed class RetentionPlan
{
    internal RetentionPlan(long cutoff, bool incrementalsOnly, IReadOnlyList<BackupSet> required, bool primaryOlder,
        IReadOnlyList<BackupChain> chains, IReadOnlyList<SignatureChain> signatureChains)
    {
        CutoffTime = cutoff;
        IncrementalsOnly = incrementalsOnly;
        RequiredOldSets = required;
        PrimaryChainIsOlderThanCutoff = primaryOlder;
        Chains = chains;
        SignatureChains = signatureChains;
    }

    /// <summary>Chains ending before this time (seconds since the epoch) are removed.</summary>
    public long CutoffTime { get; }

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
    /// its full set, with the cache's copies of their manifests and signatures; then the old signature
    /// chains. Returns the remote and local file names deleted.
    /// </summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(IBackend backend, ArchiveCacheOptions? cache = null, FileNamingOptions? naming = null,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        naming ??= FileNamingOptions.Default;
        logger ??= NullLogger.Instance;
        var archive = ArchiveCache.Open(cache, backend.DisplayName);
        using var cacheLock = archive.AcquireLock();
        var deleted = new List<string>();
        var localFiles = archive.ListFileNames();
        foreach (var chain in Chains.OrderByDescending(c => c.EndTime))
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
                    bool sameSet = p.StartTime == set.StartTime && p.EndTime == set.EndTime && p.IsIncremental == !set.IsFull;
                    if (sameSet && (p.IsManifest || p.IsSignatures)) { archive.Delete(local); deleted.Add(local); }
                }
            }
        }
        foreach (var sig in SignatureChains.OrderByDescending(s => s.EndTime))
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
