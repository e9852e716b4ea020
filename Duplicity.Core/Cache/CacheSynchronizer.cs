using Duplicity.Archive.Naming;
using Duplicity.Archive.Volumes;
using Duplicity.Backends;
using Duplicity.Diagnostics;
using Duplicity.IO;
using Microsoft.Extensions.Logging;

namespace Duplicity.Cache;

/// <summary>
/// Reconciles the local archive cache with the backend, the backend being authoritative: metadata
/// (manifests and signature files) missing locally is downloaded and stored plaintext (signatures
/// gzipped), and local metadata the backend no longer has is deleted. A dry run only tells what it
/// would copy and delete.
/// </summary>
internal sealed class CacheSynchronizer(IBackend backend, ArchiveCache cache, FileNamingOptions naming, ArchiveCodec codec, ILogger logger, bool dryRun = false)
{
    /// <summary>Runs the sync; returns true when anything changed.</summary>
    public async Task<bool> SyncAsync(IReadOnlyCollection<string> remoteNames, CancellationToken cancellationToken)
    {
        var remote = new Dictionary<string, (string Name, RemoteFileName Parsed)>();
        foreach (var name in remoteNames)
            if (RemoteFileName.TryParse(name, naming) is { } p && (p.IsManifest || p.IsSignatures) && !p.IsPartial)
                remote[KeyOf(p)] = (name, p);

        // A set is committed once its manifest is on the backend (see BackupSession's commit order).
        var committed = remote.Values.Where(r => r.Parsed.IsManifest).Select(r => SetOf(r.Parsed)).ToHashSet();
        var localFinal = new Dictionary<string, string>();
        var localPartial = new HashSet<string>();
        var stalePartials = new List<string>();
        foreach (var name in cache.ListFileNames())
        {
            if (RemoteFileName.TryParse(name, naming) is not { } p || !(p.IsManifest || p.IsSignatures)) continue;
            // A partial of a committed set was left by a run stopped after its commit point, before it
            // renamed its local files: the backend's copies replace it.
            if (p.IsPartial && committed.Contains(SetOf(p))) stalePartials.Add(name);
            else if (p.IsPartial) localPartial.Add(KeyOf(p));
            else localFinal[KeyOf(p)] = name;
        }

        var toCopy = remote.Where(r => !localFinal.ContainsKey(r.Key) && !localPartial.Contains(r.Key)).Select(r => r.Value).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var toDelete = localFinal.Where(l => !remote.ContainsKey(l.Key) || localPartial.Contains(l.Key)).Select(l => l.Value)
            .Concat(stalePartials).Order(StringComparer.Ordinal).ToList();
        if (toCopy.Count == 0 && toDelete.Count == 0)
        {
            CacheLog.Synchronized(logger);
            return false;
        }
        if (dryRun)
        {
            // The list is built only when it is logged (a local: CA1873 misses IsEnabled guards around [LoggerMessage] calls, dotnet/sdk#50893).
            if (toCopy.Count > 0 && logger.IsEnabled(LogLevel.Information))
            {
                var names = toCopy.ConvertAll(c => c.Name);
                CacheLog.SyncWouldCopy(logger, names);
            }
            if (toDelete.Count > 0) CacheLog.SyncWouldRemove(logger, toDelete);
            return false;
        }
        CacheLog.Synchronizing(logger);
        foreach (var name in toDelete)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var path = cache.PathOf(name);
                CacheLog.DeletingLocal(logger, path);
            }
            cache.Delete(name);
        }
        foreach (var (name, parsed) in toCopy)
        {
            CacheLog.Copying(logger, name);
            await CopyAsync(name, parsed, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private async Task CopyAsync(string name, RemoteFileName parsed, CancellationToken cancellationToken)
    {
        var finalPath = cache.PathOf(ArchiveCache.LocalNameOf(parsed, naming));
        var source = await backend.GetAsync(name, cancellationToken).ConfigureAwait(false);
        await using var sourceDisposal = source.ConfigureAwait(false);
        // A crash mid-copy must not leave a truncated manifest or signature file under its cached name.
        await DurableFile.WriteAsync(finalPath, async (file, token) =>
        {
            if (parsed.IsSignatures && parsed.IsCompressed && !parsed.IsEncrypted)
            {
                await source.CopyToAsync(file, token).ConfigureAwait(false);
                return;
            }
            var content = await codec.OpenReadAsync(parsed, source, token).ConfigureAwait(false);
            await using var contentDisposal = content.ConfigureAwait(false);
            if (parsed.IsSignatures)
            {
                var gzip = VolumeEncoding.Gzip.Wrap(file);
                await using var gzipDisposal = gzip.ConfigureAwait(false);
                await content.CopyToAsync(gzip, token).ConfigureAwait(false);
            }
            else
            {
                await content.CopyToAsync(file, token).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private static (bool Full, long Start, long End) SetOf(RemoteFileName p) =>
        (p.Kind is RemoteFileKind.FullManifest or RemoteFileKind.FullSignatures or RemoteFileKind.FullVolume, p.StartTime, p.EndTime);

    private string KeyOf(RemoteFileName p) => (p with { IsEncrypted = false, IsCompressed = false, IsPartial = false }).Format(naming);
}
