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
    // duplicity reads source files in 64 KiB blocks and closes a volume when less than one block of room is
    // left, measured on the stored (compressed or encrypted) output. The extra KiB covers the next entry's headers.
    private const long ReadSize = 65536;
    private const long PlainThreshold = ReadSize + 1024;
    // Its gpg volumes aim 50 KiB under the size (gpg's buffering) and keep 16 KiB for the tar footer, then are
    // topped off with incompressible bytes after the footer up to that target.
    private const long GpgFudge = 50 * 1024;
    private const long GpgFooterRoom = 16 * 1024;
    private static readonly byte[] Zeros = new byte[512];
    // A tar header is noted for the seek index about once per compressed block's worth of tar data.
    private const long EntryPointSpacing = 1 << 20;

    private readonly ChannelWriter<VolumePipeItem> _pipe;
    private readonly VolumeEncoder _encoder;
    private readonly long _volumeSize;
    private byte[] _segment = ArrayPool<byte>.Shared.Rent(SegmentSize);
    private int _segmentLength;
    private long _sentForVolume;
    private int _entriesInVolume;
    private IndexPath _startIndex, _endIndex;
    private int? _startBlock, _endBlock;
    // The stored size the encoder last reported exactly for this volume, and the tar bytes sent by then.
    private long? _probedStored;
    private long _sentAtProbe;

    private List<VolumeEntryPoint> _entryPoints = [];
    private long _nextEntryPoint;

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
        if (_entriesInVolume > 0 && await IsVolumeFullAsync(cancellationToken).ConfigureAwait(false))
            await EndVolumeAsync(topOff: true, cancellationToken).ConfigureAwait(false);

        if (_sentForVolume >= _nextEntryPoint)
        {
            _entryPoints.Add(new VolumeEntryPoint(index, _sentForVolume));
            _nextEntryPoint = _sentForVolume + EntryPointSpacing;
        }
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
        if (!nothingAfterKept) await EndVolumeAsync(topOff: false, cancellationToken).ConfigureAwait(false);
        ArrayPool<byte>.Shared.Return(_segment);
        _pipe.TryComplete();
    }

    /// <summary>The size the tar data of a volume may reach in stored bytes before it is closed.</summary>
    private long DataLimit => _padToRecord ? _volumeSize - GpgFudge - GpgFooterRoom : _volumeSize;

    private long Threshold => _padToRecord ? ReadSize : PlainThreshold;

    /// <summary>
    /// Whether the volume has less than duplicity's room left. A cheap upper bound decides while the volume is far
    /// from full; near the end the encoder is asked for the exact stored size (compressors give compressible data
    /// its true, smaller size), as duplicity measures its output file.
    /// </summary>
    private async ValueTask<bool> IsVolumeFullAsync(CancellationToken cancellationToken)
    {
        if (DataLimit - EstimatedVolumeBytes() >= Threshold) return false;
        long stored = await ProbeStoredBytesAsync(cancellationToken).ConfigureAwait(false);
        return DataLimit - stored < Threshold;
    }

    private long EstimatedVolumeBytes()
    {
        // Bytes the encoder has not taken in yet count at full size (worst case: incompressible).
        bool encoderOnThisVolume = _encoder.CurrentVolumeNumber == VolumesEnded + 1;
        long inFlight = _sentForVolume - (encoderOnThisVolume ? _encoder.CurrentConsumedBytes : 0);
        long stored = encoderOnThisVolume ? _encoder.CurrentStoredBytes : 0;
        long estimate = stored + inFlight;
        if (_probedStored is { } probed) estimate = Math.Min(estimate, probed + _sentForVolume - _sentAtProbe);
        return estimate;
    }

    /// <summary>Sends what is buffered, then waits for the encoder to encode it all and report the volume's stored size.</summary>
    private async ValueTask<long> ProbeStoredBytesAsync(CancellationToken cancellationToken)
    {
        if (_segmentLength > 0)
        {
            var partial = _segment;
            int length = _segmentLength;
            _segment = ArrayPool<byte>.Shared.Rent(SegmentSize);
            _segmentLength = 0;
            await _pipe.WriteAsync(new VolumePipeItem(partial, length, null), cancellationToken).ConfigureAwait(false);
        }
        var probe = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _pipe.WriteAsync(new VolumePipeItem(null, 0, null, probe), cancellationToken).ConfigureAwait(false);
        long stored = await probe.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        _probedStored = stored;
        _sentAtProbe = _sentForVolume;
        return stored;
    }

    private async ValueTask EndVolumeAsync(bool topOff, CancellationToken cancellationToken)
    {
        if (_padToRecord)
        {
            // Zeros to the next whole 10240-byte record, at least one 512-byte block.
            int footer = TarHeaderWriter.GetVolumeFooterLength(_sentForVolume);
            var zeros = new byte[footer];
            await AppendAsync(zeros, cancellationToken).ConfigureAwait(false);
            // Like duplicity, a gpg volume that is not the last is filled up to its target size with
            // incompressible bytes after the tar footer (tar readers stop at the footer).
            if (topOff) await TopOffAsync(cancellationToken).ConfigureAwait(false);
        }
        var range = _entriesInVolume == 0
            ? VolumeRange.Empty
            : new VolumeRange(_startIndex, _startBlock, _endIndex, _endBlock);
        var buffer = _segment;
        int length = _segmentLength;
        _segment = ArrayPool<byte>.Shared.Rent(SegmentSize);
        _segmentLength = 0;
        var entryPoints = _entryPoints;
        _entryPoints = [];
        _nextEntryPoint = 0;
        await _pipe.WriteAsync(new VolumePipeItem(buffer, length, range, EntryPoints: entryPoints), cancellationToken).ConfigureAwait(false);
        VolumesEnded++;
        _sentForVolume = 0;
        _entriesInVolume = 0;
        _probedStored = null;
        _sentAtProbe = 0;
    }

    private async ValueTask TopOffAsync(CancellationToken cancellationToken)
    {
        long missing = _volumeSize - GpgFudge - await ProbeStoredBytesAsync(cancellationToken).ConfigureAwait(false);
        if (missing <= 0) return;
        var noise = ArrayPool<byte>.Shared.Rent((int)Math.Min(missing, ReadSize));
        try
        {
            while (missing > 0)
            {
                int n = (int)Math.Min(missing, ReadSize);
                System.Security.Cryptography.RandomNumberGenerator.Fill(noise.AsSpan(0, n));
                await AppendAsync(noise.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                missing -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(noise);
        }
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
