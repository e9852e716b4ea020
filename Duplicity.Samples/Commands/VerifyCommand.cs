using Duplicity.Backends;
using Duplicity.Samples.CommandLine;
using Duplicity.Sessions;
using Microsoft.Extensions.Logging;

namespace Duplicity.Samples.Commands;

/// <summary><c>verify</c>: exit 1 when differences are found, as duplicity does.</summary>
internal static class VerifyCommand
{
    public static async Task<int> RunAsync(Invocation invocation, ConsoleSettings settings, IBackend backend,
        ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var result = await new VerifySession(backend, new VerifyOptions
        {
            LocalPath = invocation.LocalPath!,
            Path = settings.FileToRestore,
            Time = settings.ParseTime(),
            CompareData = settings.CompareData,
            Selection = settings.Selection,
            Cache = settings.Cache,
            Decryption = await settings.DecryptionAsync(cancellationToken),
            FileNaming = settings.Naming,
            TempDirectory = settings.TempDirectory,
            TimeProvider = settings.Clock,
        }, loggerFactory).RunAsync(cancellationToken);
        return result.Differences.Count > 0 ? 1 : 0;
    }
}
