using Duplicity.Backends;
using Duplicity.Repository;
using Duplicity.Sessions;
using Microsoft.Extensions.Logging;

namespace Duplicity.Tests.Support;

/// <summary>One operation on a repository opened for it and closed after, as most tests need.</summary>
internal static class Sessions
{
    public static async Task<BackupResult> BackupAsync(IBackend backend, RepositoryOptions repository, BackupOptions options,
        ILoggerFactory? loggerFactory = null, IProgress<BackupEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var repo = await BackupRepository.OpenAsync(backend, repository, loggerFactory, cancellationToken);
        return await new BackupSession(repo, options).RunAsync(progress, cancellationToken);
    }

    public static async Task<RestoreResult> RestoreAsync(IBackend backend, RepositoryOptions repository, RestoreOptions options,
        ILoggerFactory? loggerFactory = null, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var repo = await BackupRepository.OpenAsync(backend, repository, loggerFactory, cancellationToken);
        return await new RestoreSession(repo, options).RunAsync(progress, cancellationToken);
    }
}
