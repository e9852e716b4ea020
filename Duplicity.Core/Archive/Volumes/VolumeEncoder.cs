using Duplicity.Crypto;
using Duplicity.IO;
using System.Buffers;
using System.Threading.Channels;

namespace Duplicity.Archive.Volumes;

/// <summary>
/// The consumer side of volume writing: compresses (or encrypts) tar bytes into temporary volume files
/// on its own task, so encoding runs in parallel with reading and signing files. Publishes each
/// finished volume with its size and SHA-1. Disposing it releases the streams of a volume left
/// unfinished (RunAsync releases them itself; this is the backstop).
/// </summary>
internal sealed class VolumeEncoder(VolumeEncoding encoding, string tempDirectory, int volumesBefore = 0) : IDisposable
{
    private long _consumedForVolume;
    private HashingWriteStream? _hashing;
    private Stream? _encoder;

    private int _volumeNumber;

    /// <summary>The number of the volume the encoder is writing (the volumes kept before it, before the first).</summary>
    public int CurrentVolumeNumber => Math.Max(Volatile.Read(ref _volumeNumber), volumesBefore);

    /// <summary>Stored bytes of the current volume written so far (read by the producer to cut volumes).</summary>
    public long CurrentStoredBytes => (_hashing?.BytesWritten ?? 0) + ((_encoder as IPendingInput)?.PendingInputBytes ?? 0);

    /// <summary>Tar bytes of the current volume the encoder has taken in.</summary>
    public long CurrentConsumedBytes => Volatile.Read(ref _consumedForVolume);

    public async Task RunAsync(ChannelReader<VolumePipeItem> input, ChannelWriter<FinishedVolume> output, CancellationToken cancellationToken)
    {
        int number = volumesBefore;
        FileStream? file = null;
        Stream? encoder = null;
        string? path = null;
        try
        {
            await foreach (var item in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (file == null)
                {
                    number++;
                    path = Path.Combine(tempDirectory, $"volume-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
                    file = PrivateFile.Open(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None);
                    _hashing = new HashingWriteStream(file);
                    encoder = _encoder = encoding.Wrap(_hashing);
                    Volatile.Write(ref _consumedForVolume, 0);
                    Volatile.Write(ref _volumeNumber, number);
                }
                if (item.Buffer != null)
                {
                    await encoder!.WriteAsync(item.Buffer.AsMemory(0, item.Length), cancellationToken).ConfigureAwait(false);
                    ArrayPool<byte>.Shared.Return(item.Buffer);
                    Volatile.Write(ref _consumedForVolume, _consumedForVolume + item.Length);
                }
                if (item.Probe is { } probe)
                {
                    // Everything before the probe is in the encoder: encode it out and answer with the exact size.
                    if (encoder is IPendingInput pending) await pending.SyncAsync(cancellationToken).ConfigureAwait(false);
                    probe.TrySetResult(CurrentStoredBytes);
                }
                if (item.EndOfVolume is { } range)
                {
                    await encoder!.DisposeAsync().ConfigureAwait(false);
                    _encoder = null;
                    IReadOnlyList<VolumeSeekPoint> seekPoints = item.EntryPoints is { Count: > 0 } entries
                        ? encoder switch
                        {
                            ParallelGzipStream gzip => VolumeSeekIndex.Build(entries, [.. gzip.BlockStarts]),
                            IOpenPgpMessageLayoutSource { Layout: { } layout } => VolumeSeekIndex.BuildForOpenPgp(entries, layout),
                            _ => [],
                        }
                        : [];
                    await _hashing!.FlushAsync(cancellationToken).ConfigureAwait(false);
                    long size = _hashing.BytesWritten;
                    string sha1 = _hashing.FinishHashHex();
                    await _hashing.DisposeAsync().ConfigureAwait(false);
                    await file!.DisposeAsync().ConfigureAwait(false);
                    var finished = new FinishedVolume { Number = number, TempPath = path!, Size = size, Sha1Hex = sha1, Range = range, SeekPoints = seekPoints };
                    file = null; encoder = null; _hashing = null; path = null;
                    await output.WriteAsync(finished, cancellationToken).ConfigureAwait(false);
                }
            }
            output.TryComplete();
        }
        catch (Exception e)
        {
            output.TryComplete(e);
            throw;
        }
        finally
        {
            if (file != null)
            {
                if (encoder != null)
                    await encoder.DisposeAsync().ConfigureAwait(false);
                await file.DisposeAsync().ConfigureAwait(false);
                File.Delete(path!);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _encoder?.Dispose();
        _hashing?.Dispose();
        _encoder = null;
        _hashing = null;
    }
}
