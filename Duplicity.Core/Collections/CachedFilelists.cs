using Duplicity.Archive.Manifests;
using Duplicity.Archive.Naming;

namespace Duplicity.Collections;

/// <summary>
/// The Filelist of each backup set as the cached (plaintext) manifest records it, the source of
/// collection-status <c>--file-changed</c> and <c>--show-changes-in-set</c>. A set whose manifest is
/// not in the cache has an empty list, as in duplicity, which reads only cached manifests there.
/// </summary>
public sealed class CachedFilelists
{
    private readonly string? _archiveDirectory;
    private readonly FileNamingOptions _naming;
    private readonly Dictionary<BackupSet, IReadOnlyList<ManifestFileChange>> _loaded = [];

    /// <summary>Reads manifests from <paramref name="archiveDirectory"/> (the cache folder with the backup name); null means none.</summary>
    public CachedFilelists(string? archiveDirectory, FileNamingOptions? naming = null)
    {
        _archiveDirectory = archiveDirectory;
        _naming = naming ?? FileNamingOptions.Default;
    }

    /// <summary>The set's Filelist entries (paths unquoted), empty when its manifest is not cached.</summary>
    /// <exception cref="ArchiveCorruptException">The cached manifest's Filelist is malformed.</exception>
    public IReadOnlyList<ManifestFileChange> Of(BackupSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (_loaded.TryGetValue(set, out var list)) return list;
        list = [];
        if (_archiveDirectory != null && set.ManifestName != null && RemoteFileName.TryParse(set.ManifestName, _naming) is { } parsed)
        {
            var path = Path.Combine(_archiveDirectory, Cache.ArchiveCache.LocalNameOf(parsed, _naming));
            if (File.Exists(path)) list = ManifestParser.Parse(File.ReadAllBytes(path)).Filelist ?? [];
        }
        _loaded[set] = list;
        return list;
    }
}
