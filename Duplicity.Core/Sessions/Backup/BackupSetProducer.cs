using Duplicity.Archive.Manifests;
using Duplicity.Archive.Signatures;
using Duplicity.Archive.Tar;
using Duplicity.Archive.Volumes;
using Duplicity.Diagnostics;
using Duplicity.Files;
using Duplicity.Rsync;
using Duplicity.Selection;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Duplicity.Sessions.Backup;

/// <summary>
/// Produces a backup set's entry stream by collating the selected source tree with the previous
/// signature state (none for a full backup): new objects become snapshots, changed regular files
/// librsync deltas, vanished objects <c>deleted/</c> entries, unchanged objects nothing. Each file is
/// read once, computing its new signature and its delta in the same pass.
/// </summary>
internal sealed class BackupSetProducer(
    DifftarVolumeWriter volumes,
    SignatureTarWriter signatures,
    FilelistSpool filelist,
    StatisticsCollector stats,
    int maxBlockSize,
    string tempDirectory,
    long bytesTotal,
    BackupEventSink events,
    Action<SourceEntry>? beforeOpen = null,
    bool followSymlinks = false) : IDisposable
{
    private const int ChunkSize = ChunkQueue.ChunkSize;
    private readonly byte[] _read = new byte[ChunkSize];
    private readonly ChunkQueue _chunks = new();
    private long _bytesDone;
    private long _chunksRead;

    public async Task RunAsync(IEnumerable<SourceEntry> entries, CombinedSignatureReader? previous, CancellationToken cancellationToken)
    {
        using var signature = new SpillBuffer(tempDirectory);
        var old = previous?.Next();
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (old != null && old.Index < entry.Index)
            {
                await WriteDeletedAsync(old, cancellationToken).ConfigureAwait(false);
                old = previous!.Next();
            }
            SignatureEntry? match = null;
            if (old != null && old.Index == entry.Index)
            {
                match = old;
                old = previous!.Next();
            }
            try
            {
                await ProcessAsync(entry, match, signature, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // A large signature's strong sums are a temporary file: gone as soon as the delta is made.
                match?.Signature?.Dispose();
            }
            Report(entry);
        }
        while (old != null)
        {
            await WriteDeletedAsync(old, cancellationToken).ConfigureAwait(false);
            old = previous!.Next();
        }
    }

    private readonly ILogger logger = events.Logger;

    private void Report(SourceEntry entry) =>
        events.Progressed(new TransferProgress { BytesProcessed = _bytesDone, BytesTotal = bytesTotal, FilesProcessed = stats.SourceFiles, CurrentPath = entry.Index.ToString(), VolumesDone = volumes.VolumesEnded });

    private async Task ProcessAsync(SourceEntry entry, SignatureEntry? previous, SpillBuffer signature, CancellationToken cancellationToken)
    {
        var meta = entry.Metadata;
        stats.SourceFiles++;
        stats.SourceFileSize += meta.Type == FileEntryType.Regular ? meta.Size : entry.Stat.Size;
        var previousMeta = previous?.Metadata;
        if (previousMeta != null && ObjectComparison.IsUnchanged(meta, previousMeta)) return;

        if (meta.Type != FileEntryType.Regular)
        {
            stats.NewFiles++;
            stats.NewFileSize += entry.Stat.Size;
            bool isDir = meta.Type == FileEntryType.Directory;
            var header = TarEntryHeader.FromMetadata(new DifftarEntryName(DifftarEntryKind.Snapshot, entry.Index).Format(isDir), meta, 0);
            await volumes.WriteEntryAsync(header, ReadOnlyMemory<byte>.Empty, entry.Index, null, cancellationToken).ConfigureAwait(false);
            signatures.WriteEntry(entry.Index, TarEntryHeader.FromMetadata(new DifftarEntryName(DifftarEntryKind.Snapshot, entry.Index).Format(isDir, signatureArchive: true), meta, 0), null);
            events.EntryChanged(entry.Index, BackupEntryChange.Added);
            return;
        }

        SafeFileHandle handle;
        try
        {
            beforeOpen?.Invoke(entry);
            handle = FileLayer.Current.OpenSourceFile(entry.FullPath, entry.Stat, followSymlinks);
        }
        catch (SourceFileChangedException e)
        {
            // Replaced (by a FIFO, a symlink, another file) since the walk examined it: skipped and counted, never followed or waited on.
            BackupLog.FileChangedWhileReading(logger, entry.Index, e.Message);
            stats.Errors++;
            return;
        }
        catch (IOException e)
        {
            // duplicity skips a file it cannot open and counts it as an error.
            BackupLog.FileLocked(logger, entry.Index, e.Message);
            stats.Errors++;
            return;
        }
        using (handle)
        {
            bool asDelta = previous is { Kind: DifftarEntryKind.Signature, Signature: not null };
            signature.Reset();
            _chunks.Reset();
            var builder = new SignatureBuilder(SignatureParameters.BlockLengthFor(meta.Size, maxBlockSize), signature);
            var delta = asDelta ? new DeltaGenerator(previous!.Signature!, _chunks, meta.Size) : null;
            var fullKind = asDelta ? DifftarEntryKind.Diff : DifftarEntryKind.Snapshot;
            var chunkKind = asDelta ? DifftarEntryKind.MultivolDiff : DifftarEntryKind.MultivolSnapshot;
            int chunkNumber = 0;
            long offset = 0, snapshotBytes = 0;
            int lastRead = 0;
            while (true)
            {
                int n = ReadFull(handle, _read, offset);
                lastRead = n;
                offset += n;
                _bytesDone += n;
                // Big files report every 16 chunks (1 MiB) so a live display keeps moving.
                if ((++_chunksRead & 15) == 0) Report(entry);
                var data = _read.AsSpan(0, n);
                builder.Append(data);
                if (delta == null)
                {
                    // A snapshot's pieces are the reads themselves: no need to queue a copy.
                    snapshotBytes += n;
                    if (n < ChunkSize) break;
                    // A full 64 KiB piece always has a successor (possibly empty), so it is a multivol chunk that is not the last.
                    await WriteChunkAsync(entry, meta, chunkKind, ++chunkNumber, _read, chunkNumber, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                delta.Append(data);
                if (n < ChunkSize) break;
                chunkNumber = await WriteFullChunksAsync(entry, meta, chunkKind, chunkNumber, cancellationToken).ConfigureAwait(false);
            }
            builder.Complete();
            if (delta != null)
            {
                delta.Complete();
                chunkNumber = await WriteFullChunksAsync(entry, meta, chunkKind, chunkNumber, cancellationToken).ConfigureAwait(false);
            }
            // The final, shorter piece (possibly empty): a snapshot's loop ends on its first short read.
            var rest = delta != null ? _chunks.Remainder : _read.AsMemory(0, lastRead);
            if (chunkNumber == 0)
            {
                var header = TarEntryHeader.FromMetadata(new DifftarEntryName(fullKind, entry.Index).Format(false), meta, rest.Length);
                await volumes.WriteEntryAsync(header, rest, entry.Index, null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WriteChunkAsync(entry, meta, chunkKind, ++chunkNumber, rest, null, cancellationToken).ConfigureAwait(false);
            }
            stats.RawDeltaSize += delta != null ? _chunks.TotalBytes : snapshotBytes;
            signatures.WriteEntry(entry.Index, TarEntryHeader.FromMetadata(new DifftarEntryName(DifftarEntryKind.Signature, entry.Index).Format(false, signatureArchive: true), meta, signature.Length), signature);
            if (asDelta)
            {
                stats.ChangedFiles++;
                stats.ChangedFileSize += meta.Size;
                filelist.Add(ManifestChangeTypes.Changed, entry.Index.Bytes);
                events.EntryChanged(entry.Index, BackupEntryChange.Modified);
            }
            else
            {
                stats.NewFiles++;
                stats.NewFileSize += meta.Size;
                filelist.Add(ManifestChangeTypes.New, entry.Index.Bytes);
                events.EntryChanged(entry.Index, BackupEntryChange.Added);
            }
        }
    }

    /// <summary>Writes every full 64 KiB delta piece queued so far (none of them is the last); returns the chunk count.</summary>
    private async Task<int> WriteFullChunksAsync(SourceEntry entry, FileMetadata meta, DifftarEntryKind kind, int chunkNumber, CancellationToken cancellationToken)
    {
        while (_chunks.TryDequeueFull(out var chunk))
        {
            chunkNumber++;
            await WriteChunkAsync(entry, meta, kind, chunkNumber, chunk, chunkNumber, cancellationToken).ConfigureAwait(false);
            _chunks.Recycle(chunk); // its bytes were copied into the volume stream
        }
        return chunkNumber;
    }

    private ValueTask WriteChunkAsync(SourceEntry entry, FileMetadata meta, DifftarEntryKind kind, int number, ReadOnlyMemory<byte> data, int? block, CancellationToken cancellationToken)
    {
        var header = TarEntryHeader.FromMetadata(new DifftarEntryName(kind, entry.Index, number).Format(false), meta, data.Length);
        return volumes.WriteEntryAsync(header, data, entry.Index, block, cancellationToken);
    }

    private async Task WriteDeletedAsync(SignatureEntry old, CancellationToken cancellationToken)
    {
        old.Signature?.Dispose();
        if (old.Index.IsRoot) return; // the root is never recorded as deleted
        stats.DeletedFiles++;
        var header = TarEntryHeader.FromMetadata(new DifftarEntryName(DifftarEntryKind.Deleted, old.Index).Format(false), null, 0);
        await volumes.WriteEntryAsync(header, ReadOnlyMemory<byte>.Empty, old.Index, null, cancellationToken).ConfigureAwait(false);
        signatures.WriteEntry(old.Index, TarEntryHeader.FromMetadata(new DifftarEntryName(DifftarEntryKind.Deleted, old.Index).Format(false, signatureArchive: true), null, 0), null);
        if (old.Kind == DifftarEntryKind.Signature)
            filelist.Add(ManifestChangeTypes.Deleted, old.Index.Bytes);
        events.EntryChanged(old.Index, BackupEntryChange.Deleted);
    }

    private static int ReadFull(SafeFileHandle handle, byte[] buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer.AsSpan(total), offset + total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Releases the chunk queue (a stream the producer owns).</summary>
    public void Dispose() => _chunks.Dispose();
}
