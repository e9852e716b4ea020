using Duplicity.Archive.Tar;
using Duplicity.Files;
using Duplicity.Rsync;
using Microsoft.Extensions.Logging;

namespace Duplicity.Sessions.Restore;

/// <summary>
/// Rebuilds the tree of a chain at a time from its sets' entry streams: items are collated by path
/// across the sets (oldest first); history before the last snapshot or deletion is dropped, and a
/// snapshot followed by deltas is patched delta after delta, streaming through temporary files.
/// </summary>
internal sealed class ChainRestorer(IReadOnlyList<SetEntryReader> sets, RestoreTreeWriter writer, IndexPath prefix, string tempDirectory, ILogger logger)
{
    private readonly byte[] _buffer = new byte[1 << 16];

    public long Objects { get; private set; }
    public long Bytes { get; private set; }

    public async Task RunAsync(IProgress<TransferProgress>? progress, Func<int> volumesDone, CancellationToken cancellationToken)
    {
        var live = new bool[sets.Count];
        for (int i = 0; i < sets.Count; i++) live[i] = await sets[i].MoveNextAsync(cancellationToken).ConfigureAwait(false);
        var group = new List<SetEntryReader>(sets.Count);
        while (true)
        {
            IndexPath? min = null;
            for (int i = 0; i < sets.Count; i++)
                if (live[i] && (min == null || sets[i].Index < min.Value)) min = sets[i].Index;
            if (min == null) break;
            group.Clear();
            for (int i = 0; i < sets.Count; i++)
                if (live[i] && sets[i].Index == min.Value) group.Add(sets[i]);

            if (min.Value.StartsWith(prefix))
            {
                var relative = min.Value.RemovePrefix(prefix);
                if (await RestoreObjectAsync(relative, group, cancellationToken).ConfigureAwait(false))
                {
                    Objects++;
                    progress?.Report(new TransferProgress { BytesProcessed = Bytes, FilesProcessed = Objects, CurrentPath = relative.ToString(), VolumesDone = volumesDone() });
                }
            }
            for (int i = 0; i < sets.Count; i++)
                if (live[i] && sets[i].Index == min.Value) live[i] = await sets[i].MoveNextAsync(cancellationToken).ConfigureAwait(false);
        }
        writer.Complete();
    }

    private async Task<bool> RestoreObjectAsync(IndexPath relative, List<SetEntryReader> group, CancellationToken cancellationToken)
    {
        int start = group.FindLastIndex(r => r.Kind != DifftarEntryKind.Diff);
        if (start < 0)
        {
            logger.LogWarning("Cannot restore {Path}: its history starts with a delta and has no snapshot.", relative);
            return false;
        }
        var first = group[start];
        if (first.Kind == DifftarEntryKind.Deleted) return false;
        var meta = group[^1].Header.ToMetadata();
        switch (meta.Type)
        {
            case FileEntryType.Directory:
                writer.WriteDirectory(relative, meta);
                return true;
            case FileEntryType.Regular:
                if (first.Header.ToMetadata().Type != FileEntryType.Regular)
                {
                    logger.LogWarning("Cannot restore {Path}: a delta applies to an object that is not a regular file.", relative);
                    return false;
                }
                await WriteRegularAsync(relative, group, start, cancellationToken).ConfigureAwait(false);
                writer.ApplyMetadata(relative, meta);
                return true;
            case FileEntryType.Symlink:
                writer.CreateSymlink(relative, meta.LinkTarget ?? []);
                writer.ApplyMetadata(relative, meta);
                return true;
            case FileEntryType.Fifo:
                writer.CreateFifo(relative);
                writer.ApplyMetadata(relative, meta);
                return true;
            default:
                writer.CreateDevice(relative, meta.Type, meta.DeviceMajor, meta.DeviceMinor);
                writer.ApplyMetadata(relative, meta);
                return true;
        }
    }

    private async Task WriteRegularAsync(IndexPath relative, List<SetEntryReader> group, int start, CancellationToken cancellationToken)
    {
        using var file = writer.OpenRegularFileForWrite(relative);
        int deltas = group.Count - start - 1;
        if (deltas == 0)
        {
            Bytes += await CopyAsync(group[start], file.Stream, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Each delta needs its basis randomly accessible: keep the latest version in a temporary file.
            var basis = OpenTemp();
            try
            {
                await CopyAsync(group[start], basis, cancellationToken).ConfigureAwait(false);
                for (int d = 1; d <= deltas; d++)
                {
                    basis.Position = 0;
                    var reader = group[start + d];
                    bool last = d == deltas;
                    var output = last ? file.Stream : OpenTemp();
                    long before = output.Position;
                    await DeltaPatcher.ApplyAsync(basis, new SetEntryDataStream(reader), output, cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false) > 0) { } // bytes after END
                    if (last) { Bytes += output.Position - before; break; }
                    await basis.DisposeAsync().ConfigureAwait(false);
                    basis = output;
                }
            }
            finally
            {
                await basis.DisposeAsync().ConfigureAwait(false);
            }
        }
        file.Commit();
    }

    private async Task<long> CopyAsync(SetEntryReader reader, Stream destination, CancellationToken cancellationToken)
    {
        int n;
        long total = 0;
        while ((n = await reader.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            destination.Write(_buffer, 0, n);
            total += n;
        }
        return total;
    }

    private FileStream OpenTemp() =>
        new(Path.Combine(tempDirectory, $"patch-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}
