using Duplicity.Archive.Naming;
using Duplicity.Archive.Volumes;
using Duplicity.Collections;
using Duplicity.Diagnostics;
using Duplicity.Files;
using Duplicity.Repository;
using Microsoft.Extensions.Logging;

namespace Duplicity.Sessions.Restore;

/// <summary>
/// The backup sets a restore or verify at a time reads, opened for reading: the archive dir is synced, the
/// chain and sets for the time are chosen as duplicity chooses them, and each set reads only the
/// volumes whose manifest range may hold the requested path.
/// </summary>
internal sealed class ChainSource : IAsyncDisposable
{
    private readonly List<SetEntryReader> _readers = [];
    private readonly List<VolumeFetcher> _fetchers = [];

    private ChainSource(IReadOnlyList<BackupSet> sets) => Sets = sets;

    public IReadOnlyList<BackupSet> Sets { get; }
    public IReadOnlyList<SetEntryReader> Readers => _readers;
    public int VolumesDownloaded => _fetchers.Sum(f => f.Downloaded);

    /// <summary>The volumes left out because their hash did not match (with <c>skipBadVolumes</c>), set by set in order.</summary>
    public IReadOnlyList<string> SkippedVolumes => [.. _fetchers.SelectMany(f => f.Skipped)];

    /// <summary>The volume files the restore needs, set by set in order.</summary>
    public IReadOnlyList<string> RequiredVolumeNames => _required;
    private readonly List<string> _required = [];

    /// <summary>
    /// Synchronises the repository's archive dir (a dry run leaves it as it is), chooses the chain and
    /// sets for <paramref name="time"/>, and opens a reader per set over the volumes that may hold <paramref name="prefix"/>.
    /// With <paramref name="skipBadVolumes"/>, a volume whose hash does not match is left out with a warning.
    /// </summary>
    public static async Task<ChainSource> OpenAsync(BackupRepository repository, long time, IndexPath prefix, string tempRoot,
        ILogger logger, bool dryRun, CancellationToken cancellationToken, bool skipBadVolumes = false)
    {
        var naming = repository.Naming;
        var codec = repository.ReadCodec;
        var (status, _) = await repository.SynchronizeAsync(dryRun, forWriting: false, cancellationToken).ConfigureAwait(false);
        RestoreLog.LastFullBackupDate(logger, status.LastFullBackupTime);
        var chain = status.GetChainForTime(time);
        var source = new ChainSource(chain.SetsAt(time));
        try
        {
            foreach (var set in source.Sets)
            {
                var manifest = await repository.LoadManifestAsync(set, allowBackend: dryRun, cancellationToken).ConfigureAwait(false);
                var encoding = set.Volumes.Values.Select(v => RemoteFileName.TryParse(v, naming)).FirstOrDefault() is { } first
                    ? await codec.ReadEncodingForAsync(first, cancellationToken).ConfigureAwait(false)
                    : VolumeEncoding.Plain;
                // Restoring one path out of volumes we compressed: begin inside them where the archive dir says how.
                var seekIndex = !prefix.IsRoot && encoding.SupportsSeekPoints ? repository.LoadSeekIndex(set) : null;
                var volumes = new List<VolumeToFetch>();
                foreach (var (number, volume) in manifest.Volumes)
                {
                    if (!volume.MayContain(prefix)) continue;
                    if (!set.Volumes.TryGetValue(number, out var name))
                        throw new DuplicityException(DuplicityErrorCode.BackendNotFound, $"Volume {number} of the backup set {set} is missing on the backend.");
                    source._required.Add(name);
                    var sha1 = volume.Hashes.TryGetValue("SHA1", out var hash) ? hash : null;
                    // duplicity restores such volumes too; their OpenPGP MDC or gzip CRC is then the only check.
                    if (sha1 == null) RestoreLog.VolumeWithoutHash(logger, name);
                    volumes.Add(new VolumeToFetch(name, sha1, seekIndex?.FindBefore(number, sha1, prefix)));
                }
                var fetcher = new VolumeFetcher(repository.Backend, volumes, tempRoot, skipBadVolumes, logger);
                source._fetchers.Add(fetcher);
                if (!dryRun) fetcher.Start(cancellationToken);
                source._readers.Add(new SetEntryReader(fetcher, encoding, logger));
            }
            return source;
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var r in _readers) await r.DisposeAsync().ConfigureAwait(false);
    }
}
