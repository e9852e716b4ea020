using Duplicity.Backends;
using Duplicity.Samples.CommandLine;
using Duplicity.Sessions;
using Microsoft.Extensions.Logging;

namespace Duplicity.Samples.Commands;

/// <summary><c>full</c>, <c>incremental</c> and the implicit backup action.</summary>
internal static class BackupCommand
{
    public static async Task<int> RunAsync(Invocation invocation, ConsoleSettings settings, IBackend backend,
        ConsoleLoggerFactory loggerFactory, TextWriter stdout, CancellationToken cancellationToken)
    {
        var progress = loggerFactory.CreateProgress();
        var session = new BackupSession(backend, new BackupOptions
        {
            Source = invocation.LocalPath!,
            Mode = invocation.Action switch
            {
                ActionKind.Full => BackupMode.Full,
                ActionKind.Incremental => BackupMode.Incremental,
                _ => BackupMode.Auto,
            },
            VolumeSize = settings.VolumeSize,
            Compress = settings.Compress,
            MaxBlockSize = settings.MaxBlockSize,
            Cache = settings.Cache,
            FileNaming = settings.Naming,
            TempDirectory = settings.TempDirectory,
            TimeProvider = settings.Clock,
            NoFilesChanged = settings.NoFilesChanged,
            FullIfOlderThan = settings.FullIfOlderThan,
            AllowSourceMismatch = settings.AllowSourceMismatch,
            Selection = settings.Selection,
            Encryption = await settings.EncryptionAsync(cancellationToken),
            DryRun = settings.DryRun,
            EstimateTotalBytes = progress != null,
        }, loggerFactory);
        var result = await session.RunAsync(progress, cancellationToken);
        progress?.Complete();
        if (settings.PrintStatistics) loggerFactory.Write(3, 1, null, BackupStatisticsText.Format(result.Statistics, TimeZoneInfo.Local), forcePrint: true);
        return 0;
    }
}
