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
    public static void Run(IEnumerable<SourceEntry> entries, CombinedSignatureReader? previous, StatisticsCollector stats, BackupEventSink events, CancellationToken cancellationToken)
    {
        var old = previous?.Next();
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (old != null && old.Index < entry.Index)
            {
                Deleted(old, stats, events);
                old = previous!.Next();
            }
            SignatureEntry? match = null;
            if (old != null && old.Index == entry.Index)
            {
                match = old;
                old = previous!.Next();
            }
            Compare(entry, match, stats, events);
        }
        while (old != null)
        {
            Deleted(old, stats, events);
            old = previous!.Next();
        }
    }

    private static void Compare(SourceEntry entry, SignatureEntry? previous, StatisticsCollector stats, BackupEventSink events)
    {
        var meta = entry.Metadata;
        stats.SourceFiles++;
        stats.SourceFileSize += meta.Type == FileEntryType.Regular ? meta.Size : entry.Stat.Size;
        if (previous != null && ObjectComparison.IsUnchanged(meta, previous.Metadata)) return;
        if (meta.Type != FileEntryType.Regular)
        {
            stats.NewFiles++;
            stats.NewFileSize += entry.Stat.Size;
            events.EntryChanged(entry.Index, BackupEntryChange.Added);
            return;
        }
        stats.SourceFiles++;
        if (previous is { Kind: DifftarEntryKind.Signature, Signature: not null })
        {
            stats.ChangedFiles++;
            stats.ChangedFileSize += meta.Size;
            events.EntryChanged(entry.Index, BackupEntryChange.Modified);
        }
        else
        {
            stats.NewFiles++;
            stats.NewFileSize += meta.Size;
            events.EntryChanged(entry.Index, BackupEntryChange.Added);
        }
    }

    private static void Deleted(SignatureEntry old, StatisticsCollector stats, BackupEventSink events)
    {
        if (old.Index.IsRoot) return;
        stats.DeletedFiles++;
        events.EntryChanged(old.Index, BackupEntryChange.Deleted);
    }
}
