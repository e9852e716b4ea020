using Duplicity.Backends;
using Duplicity.Samples.CommandLine;
using Duplicity.Sessions;
using Microsoft.Extensions.Logging;

namespace Duplicity.Samples.Commands;

/// <summary><c>restore</c> and the implicit restore action.</summary>
internal static class RestoreCommand
{
    public static async Task<int> RunAsync(Invocation invocation, ConsoleSettings settings, IBackend backend,
        ConsoleLoggerFactory loggerFactory, TextWriter stdout, CancellationToken cancellationToken)
    {
        long? time = settings.ParseTime();
        var session = new RestoreSession(backend, new RestoreOptions
        {
            Target = invocation.LocalPath!,
            Path = settings.FileToRestore,
            Time = time,
            Force = settings.Force,
            Ownership = settings.Ownership,
            Cache = settings.Cache,
            Decryption = await settings.DecryptionAsync(cancellationToken),
            FileNaming = settings.Naming,
            TempDirectory = settings.TempDirectory,
            TimeProvider = settings.Clock,
            DryRun = settings.DryRun,
        }, loggerFactory);
        var progress = loggerFactory.CreateProgress();
        await session.RunAsync(progress, cancellationToken);
        progress?.Complete();
        return 0;
    }
}
