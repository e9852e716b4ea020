using System.Text;
using Duplicity.Archive.Naming;
using Duplicity.Repository;
using Duplicity.Collections;
using Duplicity.Samples.CommandLine;
using Duplicity.Samples.Output;
using Duplicity.Sessions;
using Microsoft.Extensions.Logging;

namespace Duplicity.Samples.Commands;

/// <summary><c>collection-status</c> and <c>list-current-files</c>.</summary>
internal static class StatusCommands
{
    public static async Task<int> CollectionStatusAsync(BackupRepository repository, ConsoleLoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var status = await repository.GetStatusAsync(cancellationToken);
        var logger = loggerFactory.CreateLogger("collection-status");
        StatusWarnings.Write(loggerFactory, status);
        ConsoleLog.LastFullBackupDate(logger, status.LastFullBackupTime);
        loggerFactory.Write(8, MessageCodes.CollectionStatus, CollectionStatusLogInfo.Format(status),
            CollectionStatusText.Format(status, status.ArchiveDirectory, TimeZoneInfo.Local), forcePrint: true);
        return 0;
    }

    public static async Task<int> ListCurrentFilesAsync(ConsoleSettings settings, BackupRepository repository, ConsoleLoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var session = new ListSession(repository, new ListOptions { Time = settings.ParseTime() });
        using var buffer = loggerFactory.BufferStandardOutput();
        // Files of a tree often share an mtime: the last one's text is reused (zone conversion is not cheap).
        long lastTime = long.MinValue;
        string lastPretty = "";
        await foreach (var entry in session.ListAsync(cancellationToken))
        {
            if (entry.Metadata.MTime != lastTime)
            {
                lastTime = entry.Metadata.MTime;
                lastPretty = DuplicityTime.Pretty(lastTime, TimeZoneInfo.Local);
            }
            loggerFactory.Write(5, MessageCodes.FileList, loggerFactory.HasMachineLog ? FileListLogInfo.Format(entry) : null,
                $"{lastPretty} {entry.Path}", forcePrint: true);
        }
        return 0;
    }
}
