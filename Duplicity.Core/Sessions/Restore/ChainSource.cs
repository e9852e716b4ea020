using Duplicity.Archive.Manifests;
using Duplicity.Archive.Naming;
using Duplicity.Archive.Volumes;
using Duplicity.Backends;
using Duplicity.Cache;
using Duplicity.Collections;
using Duplicity.Diagnostics;
using Duplicity.Files;
using Microsoft.Extensions.Logging;

namespace Duplicity.Sessions.Restore;

/// <summary>
/// The backup sets a restore or verify at a time reads, opened for reading: the cache is synced, the
/// chain and sets for the time are chosen as duplicity chooses them, and each set reads only the
/// volumes whose manifest range may hold the requested path.
/// </summary>
internal sealed class ChainSource : IAsyncDisposable
{
    private readonly List<SetEntryReader> _readers = [];
    private readonly List<VolumeFetcher> _fetchers = [];
    private IDisposable? _lock;

    private ChainSource(IReadOnlyList<BackupSet> sets) => Sets = sets;

    public IReadOnlyList<BackupSet> Sets { get; }
    public IReadOnlyList<SetEntryReader> Readers => _readers;
    public int VolumesDownloaded => _fetchers.Sum(f => f.Downloaded);

    /// <summary>The volume files the restore needs, set by set in order.</summary>
    public IReadOnlyList<string> RequiredVolumeNames => _required;
    private readonly List<string> _required = [];

    public static async Task<ChainSource> OpenAsync(IBackend backend, ArchiveCacheOptions? cacheOptions, FileNamingOptions naming,
        ArchiveCodec codec, long time, IndexPath prefix, string tempRoot, ILogger logger, CancellationToken cancellationToken, bool dryRun = false)
    {
        var cache = ArchiveCache.Open(cacheOptions, backend.DisplayName);
        var cacheLock = cache.AcquireLock();
        try
        {
            var remoteNames = new List<string>();
            await foreach (var f in backend.ListAsync(cancellationToken).ConfigureAwait(false)) remoteNames.Add(f.Name);
            await new CacheSynchronizer(backend, cache, naming, codec, logger, dryRun).SyncAsync(remoteNames, cancellationToken).ConfigureAwait(false);
            var status = CollectionStatus.Build(remoteNames, cache.ListFileNames(), naming);
            RestoreLog.LastFullBackupDate(logger, status.LastFullBackupTime is { } lf ? DateTimeOffset.FromUnixTimeSeconds(lf) : null);
            var chain = status.GetChainForTime(time);
            var source = new ChainSource(chain.SetsAt(time)) { _lock = cacheLock };
            cacheLock = null;
            try
            {
                foreach (var set in source.Sets)
                {
                    var manifest = await LoadManifestAsync(set, cache, naming, backend, codec, dryRun, cancellationToken).ConfigureAwait(false);
                    var volumes = new List<(string, string?)>();
                    foreach (var (number, volume) in manifest.Volumes)
                    {
                        if (!volume.MayContain(prefix)) continue;
                        if (!set.Volumes.TryGetValue(number, out var name))
                            throw new DuplicityException(DuplicityErrorCode.BackendNotFound, $"Volume {number} of the backup set {set} is missing on the backend.");
                        source._required.Add(name);
                        var sha1 = volume.Hashes.TryGetValue("SHA1", out var hash) ? hash : null;
                        // duplicity restores such volumes too; their OpenPGP MDC or gzip CRC is then the only check.
                        if (sha1 == null) RestoreLog.VolumeWithoutHash(logger, name);
                        volumes.Add((name, sha1));
                    }
                    var encoding = set.Volumes.Values.Select(v => RemoteFileName.TryParse(v, naming)).FirstOrDefault() is { } first
                        ? await codec.ReadEncodingForAsync(first, cancellationToken).ConfigureAwait(false)
                        : VolumeEncoding.Plain;
                    var fetcher = new VolumeFetcher(backend, volumes, tempRoot);
                    source._fetchers.Add(fetcher);
                    source._readers.Add(new SetEntryReader(fetcher, encoding));
                }
                return source;
            }
            catch
            {
                await source.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            cacheLock?.Dispose();
        }
    }

    private static async Task<Manifest> LoadManifestAsync(BackupSet set, ArchiveCache cache, FileNamingOptions naming,
        IBackend backend, ArchiveCodec codec, bool dryRun, CancellationToken cancellationToken)
    {
        if (set.ManifestName == null)
            throw new DuplicityException(DuplicityErrorCode.NoManifests, $"No manifest found for the backup set {set}.");
        // After the sync every manifest of the backend is in the cache, as plaintext.
        var local = cache.LocalPathOf(set.ManifestName, naming);
        if (!File.Exists(local) && dryRun)
        {
            // A dry run did not fill the cache, so the manifest is read from the backend.
            var stored = await backend.GetAsync(set.ManifestName, cancellationToken).ConfigureAwait(false);
            await using var storedDisposal = stored.ConfigureAwait(false);
            var plain = await codec.OpenReadAsync(RemoteFileName.TryParse(set.ManifestName, naming)!, stored, cancellationToken).ConfigureAwait(false);
            await using var plainDisposal = plain.ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await plain.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return ManifestParser.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        if (!File.Exists(local))
            throw new DuplicityException(DuplicityErrorCode.UnreadableManifests, $"The manifest of the backup set {set} is not in the local cache.");
        return ManifestParser.Parse(await File.ReadAllBytesAsync(local, cancellationToken).ConfigureAwait(false));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var r in _readers) await r.DisposeAsync().ConfigureAwait(false);
        _lock?.Dispose();
    }
}
