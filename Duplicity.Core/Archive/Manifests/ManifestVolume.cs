using Duplicity.Files;

namespace Duplicity.Archive.Manifests;

/// <summary>
/// One volume of a backup set as its manifest describes it: the range of indices it holds (with the
/// chunk number where the range starts or ends inside a multi-volume file) and its hash(es).
/// </summary>
internal sealed class ManifestVolume
{
    /// <summary>The volume number (1-based).</summary>
    public required int Number { get; init; }

    /// <summary>Index of the first entry (root for an empty volume).</summary>
    public required IndexPath StartPath { get; set; }

    /// <summary>Chunk number of the first entry when it is a chunk other than its file's last.</summary>
    public int? StartBlock { get; set; }

    /// <summary>Index of the last entry.</summary>
    public required IndexPath EndPath { get; set; }

    /// <summary>Chunk number of the last entry when it is a chunk other than its file's last.</summary>
    public int? EndBlock { get; set; }

    /// <summary>Hashes by name (<c>SHA1</c>, <c>MD5</c>, ...) as lower-case hex, in the order written.</summary>
    public OrderedDictionary<string, string> Hashes { get; } = new(StringComparer.Ordinal);

    /// <summary>The best hash's name: SHA1, else MD5, else the first; null when there is none.</summary>
    public string? HashType => BestHash()?.Key;

    /// <summary>The best hash's hex digits (see <see cref="HashType"/>).</summary>
    public string? HashHex => BestHash()?.Value;

    /// <summary>Sets a hash (replacing one of the same name in place).</summary>
    public void SetHash(string type, string hex) => Hashes[type] = hex;

    /// <summary>
    /// True when this volume may hold <paramref name="prefix"/> or anything below it (see
    /// <see cref="Manifest.VolumeMayContain"/>).
    /// </summary>
    public bool MayContain(IndexPath prefix) => Manifest.VolumeMayContain(this, prefix);

    private KeyValuePair<string, string>? BestHash()
    {
        if (Hashes.Count == 0) return null;
        if (Hashes.TryGetValue("SHA1", out string? sha1)) return new("SHA1", sha1);
        if (Hashes.TryGetValue("MD5", out string? md5)) return new("MD5", md5);
        return Hashes.GetAt(0);
    }
}
