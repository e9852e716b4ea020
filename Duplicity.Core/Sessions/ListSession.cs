using System.Runtime.CompilerServices;
using Duplicity.Archive.Naming;
using Duplicity.Archive.Signatures;
using Duplicity.Archive.Volumes;
using Duplicity.Backends;
using Duplicity.Cache;
using Duplicity.Collections;
using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Sessions;

/// <summary>
/// Lists what a restore at a time would produce, from the signature files alone (no volume is read),
/// as duplicity's <c>list-current-files</c> does.
/// </summary>
public sealed class ListSession
{
    private readonly IBackend _backend;
    private readonly ListOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a session; nothing is read until <see cref="ListAsync"/> is enumerated.</summary>
    public ListSession(IBackend backend, ListOptions options, ILoggerFactory? loggerFactory = null)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ListSession>();
    }

    /// <summary>The objects present at the time, in duplicity's index order (the root first).</summary>
    /// <exception cref="DuplicityException">No signature chain exists (code 18).</exception>
    public async IAsyncEnumerable<BackupEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cache = ArchiveCache.Open(_options.Cache, _backend.DisplayName);
        using var cacheLock = cache.AcquireLock();   // the cache is synced: nobody else may change it meanwhile
        var remoteNames = new List<string>();
        await foreach (var f in _backend.ListAsync(cancellationToken).ConfigureAwait(false)) remoteNames.Add(f.Name);
        await new CacheSynchronizer(_backend, cache, _options.FileNaming, ArchiveCodec.ForReading(_options.Decryption), _logger).SyncAsync(remoteNames, cancellationToken).ConfigureAwait(false);
        var status = CollectionStatus.Build(remoteNames, cache.ListFileNames(), _options.FileNaming);
        if (status.LastFullBackupTime is { } lf)
        {
            // Converted only when logged (a local: CA1873 misses IsEnabled guards around [LoggerMessage] calls, dotnet/sdk#50893).
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var date = DateTimeOffset.FromUnixTimeSeconds(lf);
                ListLog.LastFullBackupDate(_logger, date);
            }
        }
        else
            ListLog.NoFullBackup(_logger);

        long time = _options.Time ?? _options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        var chains = status.LocalSignatureChains;
        if (chains.Count == 0) throw new DuplicityException(DuplicityErrorCode.NoSignatures, "No signature chains found");
        var chain = chains.LastOrDefault(c => c.StartTime <= time && time <= c.EndTime)
            ?? chains.LastOrDefault(c => c.EndTime < time);
        if (chain == null)
        {
            chain = chains[0];
            ListLog.NoChainForTime(_logger);
        }
        var streams = chain.FileNamesAt(time).Select(name => cache.OpenSignatures(name, _options.FileNaming)).ToList();
        using var reader = new CombinedSignatureReader(streams, parseSignatures: false);
        while (reader.Next() is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new BackupEntry(entry.Index, entry.Metadata);
        }
    }
}
