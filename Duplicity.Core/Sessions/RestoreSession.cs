using System.Text;
using Duplicity.Archive.Manifests;
using Duplicity.Archive.Naming;
using Duplicity.Archive.Tar;
using Duplicity.Archive.Volumes;
using Duplicity.Backends;
using Duplicity.Cache;
using Duplicity.Collections;
using Duplicity.Files;
using Duplicity.Sessions.Restore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Sessions;

/// <summary>
/// Restores a backup (the whole tree or one path, at a time) from a backend into a local folder.
/// Nothing is ever written outside the target, and a file is visible under its final name only when
/// it is complete.
/// </summary>
public sealed class RestoreSession
{
    private readonly IBackend _backend;
    private readonly RestoreOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a session; nothing is read or written until <see cref="RunAsync"/>.</summary>
    public RestoreSession(IBackend backend, RestoreOptions options, ILoggerFactory? loggerFactory = null)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RestoreSession>();
    }

    /// <summary>Runs the restore.</summary>
    /// <exception cref="DuplicityException">Target not empty (11), path not found (19), nothing restored (20), hash mismatch (21), ...</exception>
    public async Task<RestoreResult> RunAsync(IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        _options.Validate();
        var targetBytes = Encoding.UTF8.GetBytes(_options.Target);
        if (!_options.Force && Posix.TryLstat(targetBytes, out var st) && !(st.IsDirectory && Posix.ReadDirectory(targetBytes).Count == 0))
            throw new DuplicityException(DuplicityErrorCode.RestoreDirExists,
                $"Restore destination directory {_options.Target} already exists.\nWill not overwrite.");

        var cache = ArchiveCache.Open(_options.Cache, _backend.DisplayName);
        using var cacheLock = cache.AcquireLock();
        var remoteNames = new List<string>();
        await foreach (var f in _backend.ListAsync(cancellationToken).ConfigureAwait(false)) remoteNames.Add(f.Name);
        await new CacheSynchronizer(_backend, cache, _options.FileNaming, _logger).SyncAsync(remoteNames, cancellationToken).ConfigureAwait(false);
        var status = CollectionStatus.Build(remoteNames, cache.ListFileNames(), _options.FileNaming);
        long time = _options.Time ?? _options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        var chain = status.GetChainForTime(time);
        var sets = chain.SetsAt(time);
        var prefix = _options.Path == null ? IndexPath.Root : IndexPath.Parse(_options.Path);

        var tempRoot = Path.Combine(_options.TempDirectory ?? Path.GetTempPath(), $"duplicity-net-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tempRoot);
        var readers = new List<SetEntryReader>();
        var fetchers = new List<VolumeFetcher>();
        try
        {
            foreach (var set in sets)
            {
                var manifest = await LoadManifestAsync(set, cache, cancellationToken).ConfigureAwait(false);
                var volumes = new List<(string, string?)>();
                foreach (var (number, volume) in manifest.Volumes)
                {
                    if (!volume.MayContain(prefix)) continue;
                    if (!set.Volumes.TryGetValue(number, out var name))
                        throw new DuplicityException(DuplicityErrorCode.BackendNotFound, $"Volume {number} of the backup set {set} is missing on the backend.");
                    volumes.Add((name, volume.Hashes.TryGetValue("SHA1", out var sha1) ? sha1 : null));
                }
                if (set.IsEncrypted)
                    throw new DuplicityException(DuplicityErrorCode.NotImplemented, "Encrypted backups are not supported yet by this version.");
                var encoding = set.Volumes.Values.Select(v => RemoteFileName.TryParse(v, _options.FileNaming)).FirstOrDefault()?.IsCompressed == true
                    ? VolumeEncoding.Gzip : VolumeEncoding.Plain;
                var fetcher = new VolumeFetcher(_backend, volumes, tempRoot);
                fetchers.Add(fetcher);
                readers.Add(new SetEntryReader(fetcher, encoding));
            }

            var writer = new RestoreTreeWriter(targetBytes, _options.Ownership switch
            {
                OwnershipRestore.Numeric => RestoreOwnershipMode.Numeric,
                OwnershipRestore.None => RestoreOwnershipMode.Skip,
                _ => RestoreOwnershipMode.ByName,
            });
            var restorer = new ChainRestorer(readers, writer, prefix, tempRoot, _logger);
            await restorer.RunAsync(progress, () => fetchers.Sum(f => f.Downloaded), cancellationToken).ConfigureAwait(false);
            if (restorer.Objects == 0)
            {
                if (_options.Path != null)
                    throw new DuplicityException(DuplicityErrorCode.RestorePathNotFound, $"{_options.Path} not found in archive - no files restored.");
                throw new DuplicityException(DuplicityErrorCode.NoRestoreFiles, "No files found in archive - nothing restored.");
            }
            return new RestoreResult
            {
                ObjectsRestored = restorer.Objects,
                BytesRestored = restorer.Bytes,
                BackupTime = sets[^1].EndTime,
                VolumesRead = fetchers.Sum(f => f.Downloaded),
            };
        }
        finally
        {
            foreach (var r in readers) await r.DisposeAsync().ConfigureAwait(false);
            try { Directory.Delete(tempRoot, recursive: true); } catch (IOException) { }
        }
    }

    private async Task<Manifest> LoadManifestAsync(BackupSet set, ArchiveCache cache, CancellationToken cancellationToken)
    {
        if (set.ManifestName == null)
            throw new DuplicityException(DuplicityErrorCode.NoManifests, $"No manifest found for the backup set {set}.");
        var parsed = RemoteFileName.TryParse(set.ManifestName, _options.FileNaming)!;
        var localName = (parsed with { IsEncrypted = false, IsCompressed = false }).Format(_options.FileNaming);
        var localPath = cache.PathOf(localName);
        byte[] data;
        if (File.Exists(localPath))
        {
            data = await File.ReadAllBytesAsync(localPath, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (parsed.IsEncrypted)
                throw new DuplicityException(DuplicityErrorCode.NotImplemented, "Encrypted backups are not supported yet by this version.");
            await using var source = await _backend.GetAsync(set.ManifestName, cancellationToken).ConfigureAwait(false);
            using var memory = new MemoryStream();
            await source.CopyToAsync(memory, cancellationToken).ConfigureAwait(false);
            data = memory.ToArray();
            // Keep a local copy, as duplicity's cache sync does.
            await File.WriteAllBytesAsync(localPath, data, cancellationToken).ConfigureAwait(false);
        }
        return ManifestParser.Parse(data);
    }
}
