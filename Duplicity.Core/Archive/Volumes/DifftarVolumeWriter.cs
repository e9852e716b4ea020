using System.Buffers;
using System.Threading.Channels;
using Duplicity.Archive.Tar;
using Duplicity.Files;

namespace Duplicity.Archive.Volumes;

/// <summary>
/// The producer side of volume writing: appends difftar entries to the stream of a backup set and cuts
/// it into volumes between entries, never inside one. Tar bytes go in pooled segments to the
/// <see cref="VolumeEncoder"/>, so memory stays bounded whatever the volume or file size.
/// </summary>
internal sealed class DifftarVolumeWriter
{
    private const int SegmentSize = 1 << 20;
    // duplicity closes a volume once less than one 64 KiB chunk of room is left; we keep extra room for
    // the entry's headers and for what the compressor still holds, so volumes stay under the limit.
    private const long Headroom = 65536 + 65536 + 4096;
    private static readonly byte[] Zeros = new byte[512];

    private readonly ChannelWriter<VolumePipeItem> _pipe;
    private readonly VolumeEncoder _encoder;
    private readonly long _volumeSize;
    private byte[] _segment = ArrayPool<byte>.Shared.Rent(SegmentSize);
    private int _segmentLength;
    private long _sentForVolume;
    private int _entriesInVolume;
    private IndexPath _startIndex, _endIndex;
    private int? _startBlock, _endBlock;

    private readonly bool _padToRecord;
    private readonly ResumeSkip? _skip;
    private readonly int _volumesKept;

    /// <summary>Creates the writer; with <paramref name="resume"/> the first volume written is the one after those kept.</summary>
    public DifftarVolumeWriter(ChannelWriter<VolumePipeItem> pipe, VolumeEncoder encoder, long volumeSize, bool padToRecord = false, ResumePosition? resume = null)
    {
        _padToRecord = padToRecord;
        _pipe = pipe;
        _encoder = encoder;
        _volumeSize = volumeSize;
        if (resume != null)
        {
            _skip = new ResumeSkip(resume);
            VolumesEnded = _volumesKept = resume.VolumesKept;
        }
    }

    /// <summary>Number of volumes ended so far (counting the volumes a resumed set kept).</summary>
    public int VolumesEnded { get; private set; }

    /// <summary>How a resumed set found its position (null for a set written from the start).</summary>
    public ResumeSkipOutcome? ResumeOutcome => _skip?.Outcome;

    /// <summary>
    /// Appends one entry: header, data, padding. <paramref name="block"/> is the chunk number for the
    /// manifest range (set only for a multivol chunk that is not its file's last).
    /// </summary>
    public async ValueTask WriteEntryAsync(TarEntryHeader header, ReadOnlyMemory<byte> data, IndexPath index, int? block, CancellationToken cancellationToken)
    {
        if (_skip != null && _skip.Drops(index, block)) return;
        if (_entriesInVolume > 0 && _volumeSize - EstimatedVolumeBytes() < Headroom)
            await EndVolumeAsync(cancellationToken).ConfigureAwait(false);

        await AppendHeaderAsync(header, cancellationToken).ConfigureAwait(false);
        await AppendAsync(data, cancellationToken).ConfigureAwait(false);
        int pad = (int)((512 - data.Length % 512) % 512);
        if (pad > 0) await AppendAsync(Zeros.AsMemory(0, pad), cancellationToken).ConfigureAwait(false);

        if (_entriesInVolume == 0) { _startIndex = index; _startBlock = block; }
        _endIndex = index;
        _endBlock = block;
        _entriesInVolume++;
    }

    /// <summary>
    /// Ends the last volume (an empty one if nothing was written) and closes the pipe. A resumed set
    /// whose kept volumes already hold every entry gets no further volume.
    /// </summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        bool nothingAfterKept = _skip != null && _entriesInVolume == 0 && _sentForVolume == 0 && VolumesEnded == _volumesKept;
        if (!nothingAfterKept) await EndVolumeAsync(cancellationToken).ConfigureAwait(false);
        ArrayPool<byte>.Shared.Return(_segment);
        _pipe.TryComplete();
    }

    private long EstimatedVolumeBytes()
    {
        // Bytes the encoder has not taken in yet count at full size (worst case: incompressible).
        long inFlight = _sentForVolume - (_encoder.CurrentVolumeNumber == VolumesEnded + 1 ? _encoder.CurrentConsumedBytes : 0);
        long stored = _encoder.CurrentVolumeNumber == VolumesEnded + 1 ? _encoder.CurrentStoredBytes : 0;
        return stored + inFlight;
    }

    private async ValueTask EndVolumeAsync(CancellationToken cancellationToken)
    {
        if (_padToRecord)
        {
            // Zeros to the next whole 10240-byte record, at least one 512-byte block.
            int footer = TarHeaderWriter.GetVolumeFooterLength(_sentForVolume);
            var zeros = new byte[footer];
            await AppendAsync(zeros, cancellationToken).ConfigureAwait(false);
        }
        var range = _entriesInVolume == 0
            ? VolumeRange.Empty
            : new VolumeRange(_startIndex, _startBlock, _endIndex, _endBlock);
        var buffer = _segment;
        int length = _segmentLength;
        _segment = ArrayPool<byte>.Shared.Rent(SegmentSize);
        _segmentLength = 0;
        await _pipe.WriteAsync(new VolumePipeItem(buffer, length, range), cancellationToken).ConfigureAwait(false);
        VolumesEnded++;
        _sentForVolume = 0;
        _entriesInVolume = 0;
    }

    private async ValueTask AppendHeaderAsync(TarEntryHeader header, CancellationToken cancellationToken)
    {
        int length = TarHeaderWriter.GetLength(header);
        if (_segment.Length - _segmentLength >= length)
        {
            // Common case: encode straight into the segment.
            TarHeaderWriter.Write(header, _segment.AsSpan(_segmentLength, length));
            _segmentLength += length;
            _sentForVolume += length;
            return;
        }
        var scratch = ArrayPool<byte>.Shared.Rent(length);
        TarHeaderWriter.Write(header, scratch.AsSpan(0, length));
        await AppendAsync(scratch.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        ArrayPool<byte>.Shared.Return(scratch);
    }

    private async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        _sentForVolume += data.Length;
        while (!data.IsEmpty)
        {
            int n = Math.Min(data.Length, _segment.Length - _segmentLength);
            data.Span[..n].CopyTo(_segment.AsSpan(_segmentLength));
            _segmentLength += n;
            data = data[n..];
            if (_segmentLength == _segment.Length)
            {
                var full = _segment;
                _segment = ArrayPool<byte>.Shared.Rent(SegmentSize);
                _segmentLength = 0;
                await _pipe.WriteAsync(new VolumePipeItem(full, full.Length, null), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
