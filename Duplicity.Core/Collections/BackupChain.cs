namespace Duplicity.Collections;

/// <summary>A full backup set followed by the incremental sets that build on it, in order.</summary>
public sealed class BackupChain
{
    private readonly List<BackupSet> _incrementals = [];

    internal BackupChain(BackupSet full)
    {
        Full = full;
        EndSeconds = full.EndSeconds;
    }

    /// <summary>The chain's full set.</summary>
    public BackupSet Full { get; }

    /// <summary>The incremental sets, oldest first.</summary>
    public IReadOnlyList<BackupSet> Incrementals => _incrementals;

    /// <summary>Every set, full first.</summary>
    public IEnumerable<BackupSet> Sets => _incrementals.Prepend(Full);

    /// <summary>The full set's time.</summary>
    public DateTimeOffset StartTime => Full.EndTime;

    /// <summary>The time of the last set (not updated when a set is dropped, as in duplicity).</summary>
    public DateTimeOffset EndTime => DateTimeOffset.FromUnixTimeSeconds(EndSeconds);

    internal long StartSeconds => Full.EndSeconds;

    internal long EndSeconds { get; private set; }

    /// <summary>Adds an incremental if it starts where the chain ends (or replaces a same-start last set).</summary>
    internal bool TryAdd(BackupSet incremental)
    {
        if (incremental.StartSeconds == EndSeconds)
        {
            _incrementals.Add(incremental);
            EndSeconds = incremental.EndSeconds;
            return true;
        }
        if (_incrementals.Count > 0)
        {
            var last = _incrementals[^1];
            if (last.StartSeconds == incremental.StartSeconds && last.EndSeconds < incremental.EndSeconds)
            {
                _incrementals[^1] = incremental;
                EndSeconds = incremental.EndSeconds;
                return true;
            }
        }
        return false;
    }

    internal BackupSet DropLast()
    {
        var last = _incrementals[^1];
        _incrementals.RemoveAt(_incrementals.Count - 1);
        return last;
    }

    /// <summary>The sets a restore at <paramref name="time"/> uses: the full set and every incremental ending by then.</summary>
    public IReadOnlyList<BackupSet> SetsAt(DateTimeOffset time) => SetsAt(time.ToUnixTimeSeconds());

    internal IReadOnlyList<BackupSet> SetsAt(long time) => Sets.Where(s => s.IsFull || s.EndSeconds <= time).ToList();
}
