using Duplicity.Backends;
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
        var session = new ReplicateSession(source, target, new ReplicateOptions
        {
            Time = settings.ParseTime(),
            SourceDecryption = await settings.DecryptionAsync(cancellationToken),
            Encryption = await settings.EncryptionAsync(cancellationToken),
            Compress = settings.Compress,
            FileNaming = settings.Naming,
            TempDirectory = settings.TempDirectory,
            TimeProvider = settings.Clock,
        }, loggerFactory);
        // duplicity prints this notice first thing in every replicate; the SDK leaves the words to us.
        Output.ConsoleLog.ReplicateMinimallyFunctional(loggerFactory.CreateLogger("Duplicity.Samples"));
        await session.RunAsync(cancellationToken);
        return 0;
    }
}
