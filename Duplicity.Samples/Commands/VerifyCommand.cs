using Duplicity.Repository;
using Duplicity.Samples.CommandLine;
using Duplicity.Sessions;

namespace Duplicity.Samples.Commands;

/// <summary><c>verify</c>: exit 1 when differences are found, as duplicity does.</summary>
internal static class VerifyCommand
{
    public static async Task<int> RunAsync(Invocation invocation, ConsoleSettings settings, BackupRepository repository,
        CancellationToken cancellationToken)
    {
        var result = await new VerifySession(repository, new VerifyOptions
        {
            LocalPath = invocation.LocalPath!,
            Path = settings.FileToRestore,
            Time = settings.ParseTime(),
            CompareData = settings.CompareData,
            Selection = settings.Selection,
            Renames = settings.Renames,
            IgnoreErrors = settings.IgnoreErrors,
        }).RunAsync(cancellationToken);
        return result.Differences.Count > 0 ? 1 : 0;
    }
}
