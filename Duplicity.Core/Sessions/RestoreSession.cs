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
        var status = CollectionStatus.Build(remoteNames, cache.ListFileNames(), _options.FileNaming);
        long time = _options.Time ?? _options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        var chain = status.GetChainForTime(time);
        var sets = chain.SetsAt(time);
        if (sets.Count > 1)
            throw new DuplicityException(DuplicityErrorCode.NotImplemented, "Restoring incremental backup sets is not supported yet by this version.");

        var prefix = _options.Path == null ? IndexPath.Root : IndexPath.Parse(_options.Path);
        var set = sets[0];
        var manifest = await LoadManifestAsync(set, cache, cancellationToken).ConfigureAwait(false);
        var volumes = new List<(string, string?)>();
        foreach (var (number, volume) in manifest.Volumes)
        {
            if (!volume.MayContain(prefix)) continue;
            if (!set.Volumes.TryGetValue(number, out var name))
                throw new DuplicityException(DuplicityErrorCode.BackendNotFound, $"Volume {number} of the backup set {set} is missing on the backend.");
            volumes.Add((name, volume.Hashes.TryGetValue("SHA1", out var sha1) ? sha1 : null));
        }

        var tempRoot = Path.Combine(_options.TempDirectory ?? Path.GetTempPath(), $"duplicity-net-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tempRoot);
        try
        {
            var encoding = set.IsEncrypted ? throw new DuplicityException(DuplicityErrorCode.NotImplemented, "Encrypted backups are not supported yet by this version.")
                : volumes.Count > 0 && RemoteFileName.TryParse(volumes[0].Item1, _options.FileNaming)?.IsCompressed == true ? VolumeEncoding.Gzip : VolumeEncoding.Plain;
            var fetcher = new VolumeFetcher(_backend, volumes, tempRoot);
            await using var reader = new SetEntryReader(fetcher, encoding);
            var writer = new RestoreTreeWriter(targetBytes, _options.Ownership switch
            {
                OwnershipRestore.Numeric => RestoreOwnershipMode.Numeric,
                OwnershipRestore.None => RestoreOwnershipMode.Skip,
                _ => RestoreOwnershipMode.ByName,
            });
            long objects = 0, bytes = 0;
            var buffer = new byte[1 << 16];
            while (await reader.MoveNextAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!reader.Index.StartsWith(prefix) || reader.Kind != DifftarEntryKind.Snapshot) continue;
                var relative = reader.Index.RemovePrefix(prefix);
                var meta = reader.Header.ToMetadata();
                switch (meta.Type)
                {
                    case FileEntryType.Directory:
                        writer.WriteDirectory(relative, meta);
                        break;
                    case FileEntryType.Regular:
                        using (var file = writer.OpenRegularFileForWrite(relative))
                        {
                            int n;
                            while ((n = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                            {
                                file.Stream.Write(buffer, 0, n);
                                bytes += n;
                            }
                            file.Commit();
                        }
                        writer.ApplyMetadata(relative, meta);
                        break;
                    case FileEntryType.Symlink:
                        writer.CreateSymlink(relative, meta.LinkTarget ?? []);
                        writer.ApplyMetadata(relative, meta);
                        break;
                    case FileEntryType.Fifo:
                        writer.CreateFifo(relative);
                        writer.ApplyMetadata(relative, meta);
                        break;
                    default:
                        writer.CreateDevice(relative, meta.Type, meta.DeviceMajor, meta.DeviceMinor);
                        writer.ApplyMetadata(relative, meta);
                        break;
                }
                objects++;
                progress?.Report(new TransferProgress { BytesProcessed = bytes, FilesProcessed = objects, CurrentPath = relative.ToString(), VolumesDone = fetcher.Downloaded });
            }
            writer.Complete();
            if (objects == 0)
            {
                if (_options.Path != null)
                    throw new DuplicityException(DuplicityErrorCode.RestorePathNotFound, $"{_options.Path} not found in archive - no files restored.");
                throw new DuplicityException(DuplicityErrorCode.NoRestoreFiles, "No files found in archive - nothing restored.");
            }
            return new RestoreResult { ObjectsRestored = objects, BytesRestored = bytes, BackupTime = set.EndTime, VolumesRead = fetcher.Downloaded };
        }
        finally
        {
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
