using Duplicity.Repository;
using Duplicity.Samples.CommandLine;
using Duplicity.Sessions;
using Microsoft.Extensions.Logging;

namespace Duplicity.Samples.Commands;

/// <summary><c>full</c>, <c>incremental</c> and the implicit backup action.</summary>
internal static class BackupCommand
{
    public static async Task<int> RunAsync(Invocation invocation, ConsoleSettings settings, BackupRepository repository,
        ConsoleLoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var progress = loggerFactory.CreateProgress();
        var session = new BackupSession(repository, new BackupOptions
        {
            Source = invocation.LocalPath!,
            Mode = invocation.Action switch
            {
                ActionKind.Full => BackupMode.Full,
                ActionKind.Incremental => BackupMode.Incremental,
                _ => BackupMode.Auto,
            },
            VolumeSize = settings.VolumeSize,
            MaxUploadsInFlight = settings.UploadsInFlight,
            MaxBlockSize = settings.MaxBlockSize,
            NoFilesChanged = settings.NoFilesChanged,
            FullIfOlderThan = settings.FullIfOlderThan,
            AllowSourceMismatch = settings.AllowSourceMismatch,
            Selection = settings.Selection,
            DryRun = settings.DryRun,
            CopyLinks = settings.CopyLinks,
            EstimateTotalBytes = progress != null,
        });
        var result = await session.RunAsync((IProgress<BackupEvent>?)progress, cancellationToken);
        progress?.Complete();
        if (settings.PrintStatistics) loggerFactory.Write(3, 1, null, Output.BackupStatisticsText.Format(result.Statistics, TimeZoneInfo.Local), forcePrint: true);
        return 0;
    }
}
