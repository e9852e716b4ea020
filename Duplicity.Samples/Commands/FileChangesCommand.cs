using Duplicity.Archive.Manifests;
using Duplicity.Archive.Naming;
using Duplicity.Repository;
using Duplicity.Collections;
using Duplicity.Samples.CommandLine;
using Duplicity.Samples.Output;
using Microsoft.Extensions.Logging;

namespace Duplicity.Samples.Commands;

/// <summary>collection-status with <c>--file-changed PATH</c> or <c>--show-changes-in-set N</c>.</summary>
internal static class FileChangesCommand
{
    public static bool IsRequested(Invocation invocation) =>
        invocation.Options.Has("--file-changed") || invocation.Options.Has("--show-changes-in-set");

    public static async Task<int> RunAsync(Invocation invocation, ConsoleSettings settings, BackupRepository repository, ILoggerFactory loggerFactory,
        TextWriter stdout, CancellationToken cancellationToken)
    {
        int? setIndex = null;
        if (invocation.Options.Last("--show-changes-in-set") is { } n)
        {
            if (!int.TryParse(n, out var parsed))
                throw new CommandLineException($"option --show-changes-in-set: invalid integer value: '{n}'", true);
            setIndex = parsed;
        }
        var status = await repository.GetStatusAsync(cancellationToken);
        ConsoleLog.LastFullBackupDate(loggerFactory.CreateLogger("collection-status"), status.LastFullBackupTime);
        // The primary chain's Filelists, read once: both reports look only at that chain.
        var filelists = new Dictionary<BackupSet, IReadOnlyList<ManifestFileChange>>();
        foreach (var set in status.PrimaryChain?.Sets ?? [])
            filelists[set] = await repository.ReadChangedFilesAsync(set, cancellationToken);
        // Like duplicity, --show-changes-in-set wins when both are given.
        await stdout.WriteLineAsync(setIndex is { } i
            ? FileChangesText.FormatChangesInSet(status, filelists, i, TimeZoneInfo.Local)
            : FileChangesText.FormatFileChanged(status, filelists, invocation.Options.Last("--file-changed")!, TimeZoneInfo.Local));
        return 0;
    }
}
