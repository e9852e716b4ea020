using System.Threading.Channels;
using Duplicity.Archive.Volumes;
using Duplicity.Backends;

namespace Duplicity.Sessions.Backup;

/// <summary>
/// Stores finished volumes on the backend, up to a bounded number at once, and reports them stored
/// strictly in volume order. Several uploads in flight hide a backend's per-request latency; the
/// in-order report keeps the partial manifest a prefix of the set, so a run stopped at any instant
/// resumes after the last volume that is stored together with all volumes before it (a later volume
/// that was already stored is simply stored again).
/// </summary>
/// <remarks>
/// Temporary volume files on disk are bounded too: a volume is taken from the encoder only when an
/// upload slot is free, so at most <c>maxInFlight</c> volumes upload, one waits in the encoder's
/// channel and one is being built — with one upload in flight exactly as many as a plain
/// build-then-upload pipeline keeps.
/// </remarks>
internal sealed class VolumeUploader
{
    private readonly IBackend _backend;
    private readonly int _maxInFlight;
    private readonly Func<FinishedVolume, string> _nameOf;
    private readonly Action<FinishedVolume, string> _stored;
    private readonly Action<long> _uploadedBytes;

    /// <param name="backend">Where volumes go.</param>
    /// <param name="maxInFlight">How many uploads may run at once (1 or more).</param>
    /// <param name="nameOf">The remote name of a volume.</param>
    /// <param name="stored">Called for each stored volume, in volume order, never concurrently.</param>
    /// <param name="uploadedBytes">Called as each upload completes (in any order, possibly concurrently).</param>
    public VolumeUploader(IBackend backend, int maxInFlight, Func<FinishedVolume, string> nameOf, Action<FinishedVolume, string> stored, Action<long> uploadedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        _backend = backend;
        _maxInFlight = maxInFlight;
        _nameOf = nameOf;
        _stored = stored;
        _uploadedBytes = uploadedBytes;
    }

    /// <summary>Uploads every volume <paramref name="finished"/> yields; returns once all are stored and reported.</summary>
    /// <remarks>
    /// A failed upload stops the dispatch of new volumes and cancels the uploads of later volumes only:
    /// earlier volumes still in flight are allowed to finish and are reported, so the next run resumes
    /// as far on as the backend got. The caller's cancellation stops everything at once.
    /// </remarks>
    public async Task RunAsync(ChannelReader<FinishedVolume> finished, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inFlight = new InFlightUploads(stop, cancellationToken);
        using var slots = new SemaphoreSlim(_maxInFlight, _maxInFlight);
        // Uploads in volume order; the reporter awaits them in that order.
        var ordered = Channel.CreateBounded<(FinishedVolume Volume, string Name, Task Upload)>(
            new BoundedChannelOptions(_maxInFlight) { SingleReader = true, SingleWriter = true });
        var uploads = new List<Task>();
        var reporter = ReportInOrderAsync(ordered.Reader, inFlight);
        try
        {
            while (true)
            {
                await slots.WaitAsync(stop.Token).ConfigureAwait(false);
                if (!await finished.WaitToReadAsync(stop.Token).ConfigureAwait(false) || !finished.TryRead(out var volume))
                {
                    slots.Release();
                    break;
                }
                string name = _nameOf(volume);
                var upload = UploadAsync(volume, name, slots, inFlight);
                uploads.Add(upload);
                await ordered.Writer.WriteAsync((volume, name, upload), stop.Token).ConfigureAwait(false);
            }
            ordered.Writer.Complete();
            await reporter.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            ordered.Writer.TryComplete(exception);
            await stop.CancelAsync().ConfigureAwait(false);
            // Every upload ends before the caller removes the temporary folder under them; earlier
            // volumes finish and the reporter records them before the failure is seen.
            try { await Task.WhenAll(uploads).ConfigureAwait(false); } catch (Exception) { /* the first failure is rethrown below */ }
            try { await reporter.ConfigureAwait(false); } catch (Exception) { /* the same failure, seen in order */ }
            inFlight.Dispose();
            // The failure that stopped the uploads, not the cancellation it caused in the others.
            var cause = uploads.Prepend(reporter).Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException);
            if (cause is not null && exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            throw;
        }
        inFlight.Dispose();
    }

    private async Task ReportInOrderAsync(ChannelReader<(FinishedVolume Volume, string Name, Task Upload)> ordered, InFlightUploads inFlight)
    {
        try
        {
            await foreach (var (volume, name, upload) in ordered.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                await upload.ConfigureAwait(false);
                _stored(volume, name);
            }
        }
        catch
        {
            // Nothing after a failed volume may be reported: stop the dispatcher and every upload left.
            await inFlight.CancelFromAsync(0).ConfigureAwait(false);
            throw;
        }
    }

    private async Task UploadAsync(FinishedVolume volume, string name, SemaphoreSlim slots, InFlightUploads inFlight)
    {
        var cancellationToken = inFlight.Start(volume.Number);
        try
        {
            // Off the dispatcher's stack: a backend that does synchronous work before its first await
            // must not hold up the next volume's start.
            await Task.Yield();
            var content = new FileStream(volume.TempPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (content.ConfigureAwait(false))
                await _backend.PutAsync(name, content, cancellationToken).ConfigureAwait(false);
            File.Delete(volume.TempPath);
            _uploadedBytes(volume.Size);
        }
        catch
        {
            // Before the slot is free: no later volume may start once one has failed.
            await inFlight.CancelFromAsync(volume.Number + 1).ConfigureAwait(false);
            throw;
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>
    /// The cancellation of each upload in flight, by volume number, so a failure can stop the volumes
    /// after it and leave the ones before it running.
    /// </summary>
    private sealed class InFlightUploads(CancellationTokenSource stop, CancellationToken caller) : IDisposable
    {
        private readonly object _gate = new();
        private readonly SortedDictionary<int, CancellationTokenSource> _sources = [];
        private int _cancelledFrom = int.MaxValue;

        /// <summary>The token of volume <paramref name="number"/>'s upload; already cancelled when a volume before it failed.</summary>
        public CancellationToken Start(int number)
        {
            var source = CancellationTokenSource.CreateLinkedTokenSource(caller);
            lock (_gate)
            {
                _sources.Add(number, source);
                if (number >= _cancelledFrom)
                    source.Cancel();
            }
            return source.Token;
        }

        /// <summary>Stops the dispatcher and cancels the uploads of volume <paramref name="first"/> and after.</summary>
        public async Task CancelFromAsync(int first)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            List<CancellationTokenSource> later;
            lock (_gate)
            {
                _cancelledFrom = Math.Min(_cancelledFrom, first);
                later = [.. _sources.Where(s => s.Key >= first).Select(s => s.Value)];
            }
            foreach (var source in later)
                await source.CancelAsync().ConfigureAwait(false);
        }

        public void Dispose()
        {
            lock (_gate)
            {
                foreach (var source in _sources.Values)
                    source.Dispose();
                _sources.Clear();
            }
        }
    }
}
