using Duplicity.Files;

namespace Duplicity.Archive.Manifests;

/// <summary>
/// The manifest of one backup set: where it was made, its volumes with the index range and hash of
/// each, and (when present) the list of regular files that changed.
/// </summary>
internal sealed class Manifest
{
    /// <summary>Host name of the machine that made the backup, or null when not recorded.</summary>
    public string? Hostname { get; set; }

    /// <summary>The source folder as given on the command line (raw bytes), or null when not recorded.</summary>
    public byte[]? LocalDir { get; set; }

    /// <summary>Volumes by number.</summary>
    public SortedDictionary<int, ManifestVolume> Volumes { get; } = new();

    /// <summary>The Filelist, or null when the manifest has none (old or replicated manifests, or not read).</summary>
    public List<ManifestFileChange>? Filelist { get; set; }

    /// <summary>True when the Filelist's count disagrees with its lines (duplicity logs this and goes on).</summary>
    public bool FilelistCountMismatch { get; set; }

    /// <summary>
    /// duplicity's test for restore and verify: the volume may hold <paramref name="prefix"/> or a
    /// path below it if <c>start[:len(prefix)] &lt;= prefix &lt;= end</c>, comparing indices as
    /// tuples of components. The root prefix selects every volume.
    /// </summary>
    public static bool VolumeMayContain(ManifestVolume volume, IndexPath prefix)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ReadOnlySpan<byte> start = FirstComponents(volume.StartPath.Bytes, prefix.Depth);
        return IndexPath.Compare(start, prefix.Bytes) <= 0 && IndexPath.Compare(prefix.Bytes, volume.EndPath.Bytes) <= 0;
    }

    private static ReadOnlySpan<byte> FirstComponents(ReadOnlySpan<byte> path, int count)
    {
        if (count == 0) return ReadOnlySpan<byte>.Empty;
        int seen = 0;
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i] == (byte)'/' && ++seen == count) return path[..i];
        }
        return path;
    }
}
