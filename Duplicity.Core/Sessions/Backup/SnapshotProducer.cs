using Duplicity.Archive.Manifests;
using Duplicity.Archive.Tar;
using Duplicity.Archive.Volumes;
using Duplicity.Files;
using Duplicity.Rsync;
using Duplicity.Selection;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Duplicity.Sessions.Backup;

/// <summary>
/// Turns the selected source tree into a full backup's entry stream: every object as a snapshot
/// (regular files chunked in 64 KiB multivol pieces when large) and its signature entry, reading each
/// file exactly once.
/// </summary>
internal sealed class SnapshotProducer(
    DifftarVolumeWriter volumes,
    SignatureTarWriter signatures,
    List<ManifestFileChange> filelist,
    StatisticsCollector stats,
    int maxBlockSize,
    string tempDirectory,
    IProgress<TransferProgress>? progress,
    ILogger logger)
{
    private const int ChunkSize = 65536;
    private readonly byte[] _chunk = new byte[ChunkSize];
    private long _bytesDone;

    public async Task RunAsync(IEnumerable<SourceEntry> entries, CancellationToken cancellationToken)
    {
        using var signature = new SpillBuffer(tempDirectory);
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var meta = entry.Metadata;
            if (meta.Type == FileEntryType.Regular)
            {
                await WriteRegularFileAsync(entry, signature, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                stats.SourceFiles++;
                stats.SourceFileSize += entry.Stat.Size;
                stats.NewFiles++;
                stats.NewFileSize += entry.Stat.Size;
                var header = TarEntryHeader.FromMetadata(new DifftarEntryName(DifftarEntryKind.Snapshot, entry.Index).Format(meta.Type == FileEntryType.Directory), meta, 0);
                await volumes.WriteEntryAsync(header, ReadOnlyMemory<byte>.Empty, entry.Index, null, cancellationToken).ConfigureAwait(false);
                signatures.WriteEntry(TarEntryHeader.FromMetadata(new DifftarEntryName(DifftarEntryKind.Snapshot, entry.Index).Format(meta.Type == FileEntryType.Directory, signatureArchive: true), meta, 0), null);
            }
            progress?.Report(new TransferProgress { BytesProcessed = _bytesDone, FilesProcessed = stats.SourceFiles, CurrentPath = entry.Index.ToString(), VolumesDone = volumes.VolumesEnded });
        }
    }

    private async Task WriteRegularFileAsync(SourceEntry entry, SpillBuffer signature, CancellationToken cancellationToken)
    {
        SafeFileHandle handle;
        try
        {
            handle = Posix.OpenRead(entry.FullPath);
        }
        catch (IOException e)
        {
            // duplicity skips a file it cannot open and counts it as an error.
            logger.LogWarning("Error accessing possibly locked file {Path}: {Error}", entry.Index, e.Message);
            stats.Errors++;
            return;
        }

        using (handle)
        {
            var meta = entry.Metadata;
            stats.SourceFiles++;
            stats.SourceFileSize += meta.Size;
            stats.NewFiles++;
            stats.NewFileSize += meta.Size;

            signature.Reset();
            var builder = new SignatureBuilder(SignatureParameters.BlockLengthFor(meta.Size, maxBlockSize), signature);
            long offset = 0;
            int chunkNumber = 0;
            while (true)
            {
                int n = ReadFull(handle, _chunk, offset);
                offset += n;
                builder.Append(_chunk.AsSpan(0, n));
                stats.RawDeltaSize += n;
                _bytesDone += n;
                if (chunkNumber == 0 && n < ChunkSize)
                {
                    // Short file: one snapshot entry.
                    var header = TarEntryHeader.FromMetadata(new DifftarEntryName(DifftarEntryKind.Snapshot, entry.Index).Format(false), meta, n);
                    await volumes.WriteEntryAsync(header, _chunk.AsMemory(0, n), entry.Index, null, cancellationToken).ConfigureAwait(false);
                    break;
                }
                chunkNumber++;
                var chunkHeader = TarEntryHeader.FromMetadata(new DifftarEntryName(DifftarEntryKind.MultivolSnapshot, entry.Index, chunkNumber).Format(false), meta, n);
                // A full chunk always has a successor (possibly empty), so only a short chunk is the last.
                int? block = n == ChunkSize ? chunkNumber : null;
                await volumes.WriteEntryAsync(chunkHeader, _chunk.AsMemory(0, n), entry.Index, block, cancellationToken).ConfigureAwait(false);
                if (n < ChunkSize) break;
            }
            builder.Complete();
            signatures.WriteEntry(TarEntryHeader.FromMetadata(new DifftarEntryName(DifftarEntryKind.Signature, entry.Index).Format(false, signatureArchive: true), meta, signature.Length), signature);
            filelist.Add(new ManifestFileChange(ManifestChangeTypes.New, entry.Index.Bytes.ToArray()));
        }
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
}
