using Duplicity.Archive.Signatures;
using Duplicity.Archive.Tar;
using Duplicity.Diagnostics;
using Duplicity.Files;
using Duplicity.Selection;
using Microsoft.Extensions.Logging;

namespace Duplicity.Sessions.Backup;

/// <summary>
/// A backup's <c>--dry-run</c>: collates the source tree with the previous signatures as a real
/// backup does, logs the <c>A</c>/<c>M</c>/<c>D</c> lines and counts the statistics, but opens no file.
/// </summary>
/// <remarks>
/// duplicity's dry run counts a new or changed regular file in SourceFiles twice (once when it is
/// compared, once when its fake tar block is made), and writes nothing, so RawDeltaSize and the
/// destination size stay 0; the counts here follow it.
/// </remarks>
internal static class DryRunComparison
{
    public static void Run(IEnumerable<SourceEntry> entries, CombinedSignatureReader? previous, StatisticsCollector stats, ILogger logger, CancellationToken cancellationToken)
    {
        var old = previous?.Next();
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (old != null && old.Index < entry.Index)
            {
                Deleted(old, stats, logger);
                old = previous!.Next();
            }
            SignatureEntry? match = null;
            if (old != null && old.Index == entry.Index)
            {
                match = old;
                old = previous!.Next();
            }
            Compare(entry, match, stats, logger);
        }
        while (old != null)
        {
            Deleted(old, stats, logger);
            old = previous!.Next();
        }
    }

    private static void Compare(SourceEntry entry, SignatureEntry? previous, StatisticsCollector stats, ILogger logger)
    {
        var meta = entry.Metadata;
        stats.SourceFiles++;
        stats.SourceFileSize += meta.Type == FileEntryType.Regular ? meta.Size : entry.Stat.Size;
        if (previous != null && ObjectComparison.IsUnchanged(meta, previous.Metadata)) return;
        if (meta.Type != FileEntryType.Regular)
        {
            stats.NewFiles++;
            stats.NewFileSize += entry.Stat.Size;
            BackupLog.FileAdded(logger, entry.Index);
            return;
        }
        stats.SourceFiles++;
        if (previous is { Kind: DifftarEntryKind.Signature, Signature: not null })
        {
            stats.ChangedFiles++;
            stats.ChangedFileSize += meta.Size;
            BackupLog.FileChanged(logger, entry.Index);
        }
        else
        {
            stats.NewFiles++;
            stats.NewFileSize += meta.Size;
            BackupLog.FileAdded(logger, entry.Index);
        }
    }

    private static void Deleted(SignatureEntry old, StatisticsCollector stats, ILogger logger)
    {
        if (old.Index.IsRoot) return;
        stats.DeletedFiles++;
        BackupLog.FileDeleted(logger, old.Index);
    }
}
