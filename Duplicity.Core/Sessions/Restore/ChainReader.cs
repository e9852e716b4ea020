using Duplicity.Archive.Tar;
using Duplicity.Diagnostics;
using Duplicity.Files;
using Duplicity.IO;
using Duplicity.Rsync;
using Microsoft.Extensions.Logging;

namespace Duplicity.Sessions.Restore;

/// <summary>
/// Rebuilds the objects of a chain at a time from its sets' entry streams: items are collated by path
/// across the sets (oldest first); history before the last snapshot or deletion is dropped; a regular
/// file's content is its snapshot patched by each later delta in turn. Each existing object under the
/// prefix is handed to a visitor, in index order, with its path relative to the prefix.
/// </summary>
internal sealed class ChainReader(IReadOnlyList<SetEntryReader> sets, IndexPath prefix, string tempDirectory, ILogger logger)
{
    private readonly byte[] _buffer = new byte[1 << 16];

    /// <summary>Called for each object; for regular files <c>content</c> can be copied once, during the call.</summary>
    public delegate Task Visitor(IndexPath relative, FileMetadata metadata, RebuiltContent? content, CancellationToken cancellationToken);

    public async Task RunAsync(Visitor visitor, CancellationToken cancellationToken)
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
                await VisitAsync(min.Value.RemovePrefix(prefix), group, visitor, cancellationToken).ConfigureAwait(false);
            else if (min.Value > prefix)
            {
                // Index order puts everything under the prefix right after it: past it, nothing more is wanted.
                foreach (var set in sets) set.Stop();
                break;
            }
            for (int i = 0; i < sets.Count; i++)
                if (live[i] && sets[i].Index == min.Value) live[i] = await sets[i].MoveNextAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task VisitAsync(IndexPath relative, List<SetEntryReader> group, Visitor visitor, CancellationToken cancellationToken)
    {
        int start = group.FindLastIndex(r => r.Kind != DifftarEntryKind.Diff);
        if (start < 0)
        {
            RestoreLog.DeltaWithoutSnapshot(logger, relative);
            return;
        }
        if (group[start].Kind == DifftarEntryKind.Deleted) return;
        var meta = group[^1].Header.ToMetadata();
        RebuiltContent? content = null;
        if (meta.Type == FileEntryType.Regular)
        {
            if (group[start].Header.ToMetadata().Type != FileEntryType.Regular)
            {
                RestoreLog.DeltaOnNonRegularFile(logger, relative);
                return;
            }
            content = new RebuiltContent(group.GetRange(start, group.Count - start), tempDirectory, _buffer);
        }
        await visitor(relative, meta, content, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A regular file's content as rebuilt from a snapshot and the deltas after it.</summary>
internal sealed class RebuiltContent(List<SetEntryReader> history, string tempDirectory, byte[] buffer)
{
    private readonly byte[] _buffer = buffer;

    /// <summary>
    /// True once <see cref="CopyToAsync"/> found that some of the content lay in a volume left out (see
    /// <see cref="SetEntryReader.Incomplete"/>): what was written is not the file, and is to be discarded.
    /// </summary>
    public bool Incomplete { get; private set; }

    /// <summary>Writes the content to <paramref name="destination"/> (once); returns its length.</summary>
    public async Task<long> CopyToAsync(Stream destination, CancellationToken cancellationToken)
    {
        if (history.Count == 1)
        {
            long length = await CopyAsync(history[0], destination, cancellationToken).ConfigureAwait(false);
            Incomplete = history[0].Incomplete;
            return length;
        }
        // Each delta needs its basis randomly accessible: keep the latest version in a temporary file.
        var basis = OpenTemp();
        try
        {
            await CopyAsync(history[0], basis, cancellationToken).ConfigureAwait(false);
            // A delta on a partial basis would rebuild something else (or fail): nothing more is rebuilt.
            if (Incomplete = history[0].Incomplete) return 0;
            for (int d = 1; ; d++)
            {
                basis.Position = 0;
                bool last = d == history.Count - 1;
                var output = last ? destination : OpenTemp();
                var counter = new CountingStream(output);
                try
                {
                    await DeltaPatcher.ApplyAsync(basis, new SetEntryDataStream(history[d]), counter, cancellationToken).ConfigureAwait(false);
                    while (await history[d].ReadAsync(_buffer, cancellationToken).ConfigureAwait(false) > 0) { } // bytes after END
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A delta cut short by a left-out volume fails to apply: the file is incomplete, not the archive corrupt.
                    if (!await EndsIncompleteAsync(history[d], cancellationToken).ConfigureAwait(false)) throw;
                }
                if (history[d].Incomplete)
                {
                    Incomplete = true;
                    if (!last) await output.DisposeAsync().ConfigureAwait(false);
                    return 0;
                }
                if (last) return counter.Written;
                await basis.DisposeAsync().ConfigureAwait(false);
                basis = (FileStream)output;
            }
        }
        finally
        {
            await basis.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads the rest of an item's data; true when the item turns out to be incomplete.</summary>
    private async Task<bool> EndsIncompleteAsync(SetEntryReader reader, CancellationToken cancellationToken)
    {
        if (reader.Incomplete) return true;
        try
        {
            while (await reader.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false) > 0) { }
        }
        catch (ArchiveCorruptException)
        {
            return false;
        }
        return reader.Incomplete;
    }

    private async Task<long> CopyAsync(SetEntryReader reader, Stream destination, CancellationToken cancellationToken)
    {
        // Into a new, empty file, runs of zeros become holes: same content, and a huge sparse file
        // (a disk image) costs neither the disk space nor the writes.
        bool sparse = destination is FileStream { CanSeek: true, Length: 0 };
        bool endsInHole = false;
        int n;
        long total = 0;
        while ((n = await reader.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (sparse && _buffer.AsSpan(0, n).IndexOfAnyExcept((byte)0) < 0)
            {
                destination.Seek(n, SeekOrigin.Current);
                endsInHole = true;
            }
            else
            {
                await destination.WriteAsync(_buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                endsInHole = false;
            }
            total += n;
        }
        if (endsInHole) destination.SetLength(destination.Position);
        return total;
    }

    private FileStream OpenTemp() =>
        PrivateFile.OpenInline(Path.Combine(tempDirectory, $"patch-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            1 << 16, FileOptions.DeleteOnClose);

    private sealed class CountingStream(Stream inner) : WriteOnlyStream
    {
        public long Written { get; private set; }
        public override void Write(ReadOnlySpan<byte> buffer) { inner.Write(buffer); Written += buffer.Length; }
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            Written += buffer.Length;
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Length => Written;
        public override long Position { get => Written; set => throw new NotSupportedException(); }
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
