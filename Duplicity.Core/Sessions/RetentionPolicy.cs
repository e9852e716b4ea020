using Duplicity.Collections;

namespace Duplicity.Sessions;

/// <summary>
/// Which old backups to remove: duplicity's <c>remove-older-than</c>, <c>remove-all-but-n-full</c> and
/// <c>remove-all-inc-of-but-n-full</c>. A policy first makes a <see cref="RetentionPlan"/> (what would
/// be deleted); nothing is deleted until the plan is applied.
/// </summary>
public sealed class RetentionPolicy
{
    private readonly long? _time;
    private readonly int _keepFull;

    private RetentionPolicy(long? time, int keepFull, bool incrementalsOnly)
    {
        _time = time;
        _keepFull = keepFull;
        IncrementalsOnly = incrementalsOnly;
    }

    /// <summary>True when only incremental sets are removed (full sets stay).</summary>
    public bool IncrementalsOnly { get; }

    /// <summary>Remove chains that ended before <paramref name="time"/> (<c>remove-older-than</c>).</summary>
    /// <param name="time">The cutoff; only whole seconds count, as in the archive's file names.</param>
    public static RetentionPolicy RemoveOlderThan(DateTimeOffset time) => new(time.ToUnixTimeSeconds(), 0, false);

    /// <summary>Keep the newest <paramref name="count"/> full backups and their chains; remove older chains.</summary>
    /// <param name="count">How many full backups to keep (at least 1).</param>
    public static RetentionPolicy RemoveAllButNFull(int count) =>
        count > 0 ? new(null, count, false) : throw new ArgumentOutOfRangeException(nameof(count), "The count must be > 0.");

    /// <summary>Keep every full backup, but remove the incrementals of all chains but the newest <paramref name="count"/>.</summary>
    /// <param name="count">How many chains keep their incrementals (at least 1).</param>
    public static RetentionPolicy RemoveAllIncrementalsOfAllButNFull(int count) =>
        count > 0 ? new(null, count, true) : throw new ArgumentOutOfRangeException(nameof(count), "The count must be > 0.");

    /// <summary>
    /// Chooses what to delete, as duplicity does, except that the chains the primary chain depends on
    /// (its own signature files, local and remote) are never chosen, whatever the time.
    /// </summary>
    public RetentionPlan Plan(CollectionStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        long cutoff = _time ?? NthLastFullTime(status, _keepFull);
        var required = status.Chains.Where(c => c.EndSeconds >= cutoff)
            .SelectMany(c => c.Sets).Where(s => s.EndSeconds < cutoff).OrderBy(s => s.EndSeconds).ToList();
        var primary = status.PrimaryChain;
        var chains = status.Chains.Where(c => c.EndSeconds < cutoff && c != primary).ToList();
        var signatures = status.RemoteSignatureChains.Concat(status.LocalSignatureChains)
            .Where(s => s.EndSeconds < cutoff && (primary == null || s.StartSeconds != primary.StartSeconds))
            .OrderBy(s => s.EndSeconds).ThenBy(s => s.IsLocal).ToList();
        if (IncrementalsOnly)
        {
            chains = chains.Where(c => c.Incrementals.Count > 0).ToList();
            signatures = signatures.Where(s => s.Incrementals.Count > 0).ToList();
        }
        return new RetentionPlan(cutoff, IncrementalsOnly, required, primary != null && primary.EndSeconds < cutoff, chains, signatures);
    }

    private static long NthLastFullTime(CollectionStatus status, int n)
    {
        var byFull = status.Chains.OrderBy(c => c.Full.EndSeconds).ToList();
        return byFull.Count < n ? 0 : byFull[^n].Full.EndSeconds;
    }
}
