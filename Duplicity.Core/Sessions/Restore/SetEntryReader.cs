using Duplicity.Archive.Tar;
using Duplicity.Archive.Volumes;
using Duplicity.Diagnostics;
using Duplicity.Files;
using Microsoft.Extensions.Logging;

namespace Duplicity.Sessions.Restore;

/// <summary>
/// Reads the entries of one backup set across its volumes, in order, as logical items: multivol chunks
/// of one file are joined into a single item whose data continues from volume to volume.
/// </summary>
internal sealed class SetEntryReader(VolumeFetcher fetcher, VolumeEncoding encoding, ILogger? logger = null) : IAsyncDisposable
{
    private Stream? _volumeStream;
    // The stored file under a volume read from a seek point (the inflater over it leaves it open).
    private Stream? _seekedVolume;
    private TarReader? _tar;
    private TarEntryHeader? _pending;
    private DifftarEntryName? _pendingName;
    private bool _finished;
    private long _storedLength;
    private bool _volumeVerified;

    /// <summary>The current item's path.</summary>
    public IndexPath Index { get; private set; }

    /// <summary>Snapshot, Diff or Deleted (multivol kinds are reported as their base kind).</summary>
    public DifftarEntryKind Kind { get; private set; }

    /// <summary>The current item's header (metadata; size is that of the first chunk).</summary>
    public TarEntryHeader Header { get; private set; } = null!;

    /// <summary>
    /// True when some of the current item's chunks may lie in a volume left out (a bad hash skipped with
    /// <c>--ignore-errors</c>): it starts with a later chunk, or its chunks went on across the gap. Final only
    /// once the item's data was read to its end.
    /// </summary>
    public bool Incomplete { get; private set; }

    // Set when reading headers crossed into a volume after left-out ones (or reached the end after them).
    private bool _crossedGap;

    private bool _isMultivol;
    private long _remainingInEntry;
    private bool _dataDone;

    /// <summary>Advances to the next item, skipping whatever of the current item's data was not read.</summary>
    public async Task<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        while (!_dataDone) await SkipDataAsync(cancellationToken).ConfigureAwait(false);
        var (header, name) = _pending != null ? (_pending, _pendingName!.Value) : await ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        _pending = null;
        _pendingName = null;
        if (header == null) return false;
        Index = name.Index;
        _isMultivol = name.Kind is DifftarEntryKind.MultivolSnapshot or DifftarEntryKind.MultivolDiff;
        Kind = name.Kind switch
        {
            DifftarEntryKind.MultivolSnapshot => DifftarEntryKind.Snapshot,
            DifftarEntryKind.MultivolDiff => DifftarEntryKind.Diff,
            _ => name.Kind,
        };
        Header = header;
        Incomplete = _isMultivol && name.ChunkNumber != 1;
        _remainingInEntry = header.Size;
        _dataDone = false;
        return true;
    }

    /// <summary>Reads the current item's data; 0 at its end (after the last chunk).</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!_dataDone)
        {
            if (_remainingInEntry > 0)
            {
                int n = _tar!.ReadData(buffer.Span[..(int)Math.Min(buffer.Length, _remainingInEntry)]);
                if (n == 0) throw new ArchiveCorruptException($"Volume data ends inside the entry for {Index}.");
                _remainingInEntry -= n;
                return n;
            }
            if (!_isMultivol) { _dataDone = true; break; }
            // The next entry continues this file if it is a chunk of the same kind and path.
            _crossedGap = false;
            var (header, name) = await ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            if (_crossedGap) Incomplete = true;
            if (header != null && name.Kind is DifftarEntryKind.MultivolSnapshot or DifftarEntryKind.MultivolDiff
                && name.Index == Index && BaseKind(name.Kind) == Kind)
            {
                _remainingInEntry = header.Size;
                continue;
            }
            _pending = header;
            _pendingName = header == null ? null : name;
            _dataDone = true;
        }
        return 0;
    }

    private static DifftarEntryKind BaseKind(DifftarEntryKind kind) =>
        kind == DifftarEntryKind.MultivolSnapshot ? DifftarEntryKind.Snapshot : kind == DifftarEntryKind.MultivolDiff ? DifftarEntryKind.Diff : kind;

    private readonly byte[] _scratch = new byte[65536];

    private async Task SkipDataAsync(CancellationToken cancellationToken)
    {
        while (await ReadAsync(_scratch, cancellationToken).ConfigureAwait(false) > 0) { }
    }

    private async Task<(TarEntryHeader? Header, DifftarEntryName Name)> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        while (!_finished)
        {
            if (_tar == null)
            {
                CloseVolume();
                var volume = await fetcher.NextAsync(cancellationToken).ConfigureAwait(false);
                _crossedGap |= fetcher.GapBeforeLast;
                if (volume == null) { _finished = true; break; }
                _storedLength = volume.CanSeek ? volume.Length : long.MaxValue;
                _volumeVerified = fetcher.LastVerified;
                if (fetcher.LastSeek is { } seek && await TrySeekAsync(volume, seek, cancellationToken).ConfigureAwait(false) is { } found) return found;
                // Decoding runs ahead on another core while this one parses entries and writes files.
                _volumeStream = new ReadAheadStream(await encoding.UnwrapAsync(volume, cancellationToken).ConfigureAwait(false));
                _tar = new TarReader(_volumeStream);
            }
#pragma warning disable CA1849 // The tar comes from a ReadAheadStream (buffers filled by its own decoding task, no true async read): the sync read is the fast one.
            var header = _tar.Next();
#pragma warning restore CA1849
            if (header == null)
            {
                // The volume is good only once its whole stream was read: the MDC, signature or gzip
                // trailer is checked at its end, which lies after the tar end block.
                VolumeDrain.ReadToEnd(_volumeStream!, _storedLength, _scratch);
                _tar = null;
                continue;
            }
            return (header, DifftarEntryName.Parse(header.Name));
        }
        return (null, default);
    }

    /// <summary>
    /// Starts reading a verified volume at a seek point: the encoding opens its tar stream at a deflate block
    /// start, then the skip to the noted tar header, and that header, which must name the noted path.
    /// Anything else (a seek index that does not describe this file after all) returns null with the volume
    /// back at its start, to be read from there.
    /// </summary>
    private async Task<(TarEntryHeader Header, DifftarEntryName Name)?> TrySeekAsync(Stream volume, VolumeSeekPoint seek, CancellationToken cancellationToken)
    {
        Stream? opened = null;
        try
        {
            opened = await encoding.TryOpenAtAsync(volume, seek, cancellationToken).ConfigureAwait(false);
            long skip = seek.Skip;
            while (opened != null && skip > 0)
            {
                int n = await opened.ReadAsync(_scratch.AsMemory(0, (int)Math.Min(_scratch.Length, skip)), cancellationToken).ConfigureAwait(false);
                if (n == 0) break;
                skip -= n;
            }
            if (opened != null && skip == 0)
            {
                var tar = new TarReader(opened);
#pragma warning disable CA1849 // a local, verified file read through an inflater: nothing to wait for
                var header = tar.Next();
#pragma warning restore CA1849
                if (header != null && DifftarEntryName.Parse(header.Name) is var name && name.Index == seek.Index)
                {
                    // The rest of this volume was vouched for by its hash: it is not read to its end (see Stop).
                    if (logger != null) RestoreLog.SeekPointUsed(logger, fetcher.LastName!, seek.Index, seek.StoredOffset);
                    _volumeStream = opened;
                    _seekedVolume = volume;
                    _tar = tar;
                    opened = null;
                    return (header, name);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or ArchiveCorruptException or FormatException) { }
        finally
        {
            if (opened != null) await opened.DisposeAsync().ConfigureAwait(false);
        }
        if (logger != null) RestoreLog.SeekPointRejected(logger, fetcher.LastName!);
        volume.Position = 0;
        return null;
    }

    /// <summary>
    /// Stops reading (the caller needs nothing further): no later volume is fetched, and the rest of the
    /// current one is skipped when its manifest hash already vouched for the whole stored file; without
    /// a hash it is read to its end, so its MDC or CRC is still checked.
    /// </summary>
    public void Stop()
    {
        if (_tar != null && !_volumeVerified) VolumeDrain.ReadToEnd(_volumeStream!, _storedLength, _scratch);
        _tar = null;
        _finished = true;
        CloseVolume();
    }

    private void CloseVolume()
    {
        _volumeStream?.Dispose();
        _volumeStream = null;
        _seekedVolume?.Dispose();
        _seekedVolume = null;
    }

    public async ValueTask DisposeAsync()
    {
        CloseVolume();
        await fetcher.DisposeAsync().ConfigureAwait(false);
    }
}
