using Duplicity.Backends;
using Duplicity.Repository;
using Duplicity.Samples.CommandLine;
using Duplicity.Sessions;
using Microsoft.Extensions.Logging;

namespace Duplicity.Samples.Commands;

/// <summary><c>replicate [--time T] SOURCE_URL TARGET_URL</c>.</summary>
internal static class ReplicateCommand
{
    public static async Task<int> RunAsync(Invocation invocation, ConsoleSettings settings, Func<string, IBackend> openBackend, IBackend target,
        ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        await using var source = openBackend(invocation.SourceUrl!);
        // The archive dir (and its lock) is the one named after the target URL, as duplicity's.
        var repository = await BackupRepository.OpenAsync(source, await settings.RepositoryOptionsAsync(ActionKind.Replicate, cancellationToken), loggerFactory, cancellationToken);
        await using var repositoryDisposal = repository;
        var session = new ReplicateSession(repository, target, new ReplicateOptions
        {
            Time = settings.ParseTime(),
            Encryption = await settings.EncryptionAsync(cancellationToken),
            Compress = settings.Compress,
        });
        // duplicity prints this notice first thing in every replicate; the SDK leaves the words to us.
        Output.ConsoleLog.ReplicateMinimallyFunctional(loggerFactory.CreateLogger("Duplicity.Samples"));
        await session.RunAsync(cancellationToken);
        return 0;
    }
}
