namespace Duplicity.Collections;

/// <summary>A full backup set followed by the incremental sets that build on it, in order.</summary>
public sealed class BackupChain
{
    private readonly List<BackupSet> _incrementals = [];

    internal BackupChain(BackupSet full)
    {
        Full = full;
        EndTime = full.EndTime;
    }

    /// <summary>The chain's full set.</summary>
    public BackupSet Full { get; }

    /// <summary>The incremental sets, oldest first.</summary>
    public IReadOnlyList<BackupSet> Incrementals => _incrementals;

    /// <summary>Every set, full first.</summary>
    public IEnumerable<BackupSet> Sets => _incrementals.Prepend(Full);

    /// <summary>The full set's time.</summary>
    public long StartTime => Full.EndTime;

    /// <summary>The time of the last set (not updated when a set is dropped, as in duplicity).</summary>
    public long EndTime { get; private set; }

    /// <summary>Adds an incremental if it starts where the chain ends (or replaces a same-start last set).</summary>
    internal bool TryAdd(BackupSet incremental)
    {
        if (incremental.StartTime == EndTime)
        {
            _incrementals.Add(incremental);
            EndTime = incremental.EndTime;
            return true;
        }
        if (_incrementals.Count > 0)
        {
            var last = _incrementals[^1];
            if (last.StartTime == incremental.StartTime && last.EndTime < incremental.EndTime)
            {
                _incrementals[^1] = incremental;
                EndTime = incremental.EndTime;
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
    public IReadOnlyList<BackupSet> SetsAt(long time) => Sets.Where(s => s.IsFull || s.EndTime <= time).ToList();
}
