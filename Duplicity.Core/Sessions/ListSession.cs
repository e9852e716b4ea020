using System.Runtime.CompilerServices;
using Duplicity.Archive.Naming;
using Duplicity.Archive.Signatures;
using Duplicity.Diagnostics;
using Duplicity.Repository;
using Microsoft.Extensions.Logging;

namespace Duplicity.Sessions;

/// <summary>
/// Lists what a restore at a time would produce, from the signature files alone (no volume is read),
/// as duplicity's <c>list-current-files</c> does.
/// </summary>
public sealed class ListSession
{
    private readonly BackupRepository _repository;
    private readonly ListOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a session; nothing is read until <see cref="ListAsync"/> is enumerated.</summary>
    /// <param name="repository">The open repository to list.</param>
    /// <param name="options">The time to list; null lists now.</param>
    public ListSession(BackupRepository repository, ListOptions? options = null)
    {
        _repository = repository ?? throw new ArgumentNullException(nameof(repository));
        _options = options ?? new ListOptions();
        _logger = repository.CreateLogger<ListSession>();
    }

    /// <summary>The objects present at the time, in duplicity's index order (the root first).</summary>
    /// <exception cref="DuplicityException">No signature chain exists (code 18).</exception>
    public async IAsyncEnumerable<BackupEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var status = await _repository.SynchronizeAsync(cancellationToken).ConfigureAwait(false);
        if (status.LastFullBackupTime is { } lf)
        {
            // Converted only when logged (a local: CA1873 misses IsEnabled guards around [LoggerMessage] calls, dotnet/sdk#50893).
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var date = lf;
                ListLog.LastFullBackupDate(_logger, date);
            }
        }
        else
            ListLog.NoFullBackup(_logger);

        long time = (_options.Time ?? _repository.TimeProvider.GetUtcNow()).ToUnixTimeSeconds();
        var chains = status.LocalSignatureChains;
        if (chains.Count == 0) throw new DuplicityException(DuplicityErrorCode.NoSignatures, "No signature chains found");
        var chain = chains.LastOrDefault(c => c.StartSeconds <= time && time <= c.EndSeconds)
            ?? chains.LastOrDefault(c => c.EndSeconds < time);
        if (chain == null)
        {
            chain = chains[0];
            ListLog.NoChainForTime(_logger);
        }
        var streams = chain.FileNamesAt(time).Select(_repository.OpenCachedSignatures).ToList();
        using var reader = new CombinedSignatureReader(streams, parseSignatures: false);
        while (reader.Next() is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new BackupEntry(entry.Index, entry.Metadata);
        }
    }
}
