using Duplicity.Archive.Naming;

namespace Duplicity.Collections;

/// <summary>A full-signatures file and the new-signatures files that follow it, from one place (local cache or backend).</summary>
public sealed class SignatureChain
{
    private readonly List<(string Name, RemoteFileName Parsed)> _incrementals = [];

    internal SignatureChain(bool isLocal, string fullName, RemoteFileName full)
    {
        IsLocal = isLocal;
        FullSignatures = (fullName, full);
        EndSeconds = full.EndTime;
    }

    /// <summary>True for a chain found in the local archive cache, false for one on the backend.</summary>
    public bool IsLocal { get; }

    /// <summary>The full-signatures file.</summary>
    public (string Name, RemoteFileName Parsed) FullSignatures { get; }

    /// <summary>The new-signatures files, oldest first.</summary>
    public IReadOnlyList<(string Name, RemoteFileName Parsed)> Incrementals => _incrementals;

    /// <summary>The full signatures' time.</summary>
    public DateTimeOffset StartTime => DateTimeOffset.FromUnixTimeSeconds(StartSeconds);

    /// <summary>The end time of the last signature file.</summary>
    public DateTimeOffset EndTime => DateTimeOffset.FromUnixTimeSeconds(EndSeconds);

    internal long StartSeconds => FullSignatures.Parsed.EndTime;

    internal long EndSeconds { get; private set; }

    /// <summary>All file names, full first.</summary>
    public IEnumerable<string> FileNames => _incrementals.Select(i => i.Name).Prepend(FullSignatures.Name);

    internal bool TryAdd(string name, RemoteFileName parsed)
    {
        if (parsed.StartTime != EndSeconds) return false;
        _incrementals.Add((name, parsed));
        EndSeconds = parsed.EndTime;
        return true;
    }

    /// <summary>True when one of the chain's files ends exactly at <paramref name="end"/> and more follow it.</summary>
    internal bool EndsAfter(long end) => EndSeconds > end && (StartSeconds == end || _incrementals.Any(i => i.Parsed.EndTime == end));

    /// <summary>The new-signatures files ending after <paramref name="end"/>.</summary>
    internal IEnumerable<string> NamesAfter(long end) =>
        StartSeconds <= end ? _incrementals.Where(i => i.Parsed.EndTime > end).Select(i => i.Name) : [];

    /// <summary>A copy of the chain without the files ending after <paramref name="end"/>.</summary>
    internal SignatureChain TruncatedAt(long end)
    {
        var copy = new SignatureChain(IsLocal, FullSignatures.Name, FullSignatures.Parsed);
        foreach (var i in _incrementals.Where(i => i.Parsed.EndTime <= end)) copy.TryAdd(i.Name, i.Parsed);
        return copy;
    }

    /// <summary>The signature files for a time: the full signatures and the new signatures ending by then.</summary>
    public IEnumerable<string> FileNamesAt(DateTimeOffset time) => FileNamesAt(time.ToUnixTimeSeconds());

    internal IEnumerable<string> FileNamesAt(long time) =>
        _incrementals.Where(i => i.Parsed.EndTime <= time).Select(i => i.Name).Prepend(FullSignatures.Name);
}
