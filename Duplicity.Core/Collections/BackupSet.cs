using Duplicity.Archive.Naming;

namespace Duplicity.Collections;

/// <summary>The files written by one full or incremental run: its volumes and its manifest.</summary>
public sealed class BackupSet
{
    private readonly SortedDictionary<int, string> _volumes = new();

    internal BackupSet(bool isFull, long startTime, long endTime)
    {
        IsFull = isFull;
        StartSeconds = startTime;
        EndSeconds = endTime;
    }

    /// <summary>True for a full set, false for an incremental.</summary>
    public bool IsFull { get; }

    /// <summary>For a full set its time; for an incremental the end time of the set it builds on.</summary>
    public DateTimeOffset StartTime => DateTimeOffset.FromUnixTimeSeconds(StartSeconds);

    internal long StartSeconds { get; }

    /// <summary>The time of the run that wrote the set.</summary>
    public DateTimeOffset EndTime => DateTimeOffset.FromUnixTimeSeconds(EndSeconds);

    internal long EndSeconds { get; }

    /// <summary>The manifest's name on the backend (null when the set has none: incomplete).</summary>
    public string? ManifestName { get; private set; }

    /// <summary>The local partial manifest of an interrupted run, standing in for the remote one.</summary>
    public string? LocalPartialManifestName { get; internal set; }

    /// <summary>Volume file names by volume number.</summary>
    public IReadOnlyDictionary<int, string> Volumes => _volumes;

    /// <summary>True when the set's files are OpenPGP-encrypted.</summary>
    public bool IsEncrypted { get; private set; }

    /// <summary>A set is complete when it has a manifest (remote, or a local partial one).</summary>
    public bool IsComplete => ManifestName != null || LocalPartialManifestName != null;

    internal void Add(string name, RemoteFileName parsed)
    {
        if (parsed.IsManifest)
        {
            ManifestName = name;
        }
        else
        {
            if (_volumes.TryGetValue(parsed.VolumeNumber, out var existing) && existing != name)
                throw new DuplicityException(DuplicityErrorCode.Generic,
                    $"Two files claim volume {parsed.VolumeNumber} of one backup set: {existing} and {name}");
            _volumes[parsed.VolumeNumber] = name;
        }
        IsEncrypted |= parsed.IsEncrypted;
    }

    /// <inheritdoc />
    public override string ToString() => IsFull ? $"full {DuplicityTime.Format(EndSeconds)}" : $"inc {DuplicityTime.Format(StartSeconds)} to {DuplicityTime.Format(EndSeconds)}";
}
