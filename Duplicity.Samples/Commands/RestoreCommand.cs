using Duplicity.Repository;
using Duplicity.Samples.CommandLine;
using Duplicity.Sessions;
using Microsoft.Extensions.Logging;

namespace Duplicity.Samples.Commands;

/// <summary><c>restore</c> and the implicit restore action.</summary>
internal static class RestoreCommand
{
    public static async Task<int> RunAsync(Invocation invocation, ConsoleSettings settings, BackupRepository repository,
        ConsoleLoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var time = settings.ParseTime();
        var session = new RestoreSession(repository, new RestoreOptions
        {
            Target = invocation.LocalPath!,
            Path = settings.FileToRestore,
            Time = time,
            Force = settings.Force,
            Ownership = settings.Ownership,
            DryRun = settings.DryRun,
            Renames = settings.Renames,
            IgnoreErrors = settings.IgnoreErrors,
        });
        var progress = loggerFactory.CreateProgress();
        await session.RunAsync((IProgress<TransferProgress>?)progress, cancellationToken);
        progress?.Complete();
        return 0;
    }
}
