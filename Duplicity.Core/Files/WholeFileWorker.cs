using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Runtime.Versioning;

namespace Duplicity.Files;

/// <summary>
/// Writes small restored files on a thread of its own, so that creating them (open, write, owner,
/// mode, mtime, rename, close: kernel work that dominates a restore of many small files) runs beside
/// the reading, inflating and parsing of the archive instead of after it. Jobs are done in order,
/// at most <see cref="Capacity"/> waiting; the first failure stops the rest and is rethrown by
/// <see cref="Drain"/>.
/// </summary>
/// <remarks>
/// The tree writer queues files only while they go into one directory whose handle it keeps open,
/// and drains before anything else touches the tree, so a job never races another change below the
/// target and every directory's metadata is applied after its files exist.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class WholeFileWorker : IDisposable
{
    /// <summary>Files waiting at most (their buffers are the worker's memory).</summary>
    internal const int Capacity = 16;

    private readonly BlockingCollection<Job> _jobs = new(Capacity);
    private readonly Action<Job> _write;
    private readonly Thread _thread;
    private readonly object _gate = new();
    private int _pending;
    private ExceptionDispatchInfo? _failure;
    private volatile bool _stopping;

    /// <param name="write">Creates one file; runs on the worker's thread.</param>
    public WholeFileWorker(Action<Job> write)
    {
        _write = write;
        _thread = new Thread(Run) { IsBackground = true, Name = "Restore file writer" };
        _thread.Start();
    }

    /// <summary>One file to create: its place, its data (a pooled buffer the worker returns) and its metadata.</summary>
    internal sealed record Job(IndexPath Index, DirectoryHandle Directory, byte[] Name, byte[] Data, int Length,
        uint? Uid, uint? Gid, int Mode, long MTime);

    /// <summary>Queues a file; waits while <see cref="Capacity"/> are waiting. Throws a failure already met.</summary>
    public void Add(Job job)
    {
        ThrowIfFailed();
        lock (_gate) _pending++;
        _jobs.Add(job);
    }

    /// <summary>Waits until every queued file is written; rethrows the first failure.</summary>
    public void Drain()
    {
        lock (_gate)
        {
            while (_pending > 0) Monitor.Wait(_gate);
        }
        ThrowIfFailed();
    }

    /// <summary>Stops after the file in hand; files still waiting are dropped (a failed or cancelled restore).</summary>
    public void Dispose()
    {
        _stopping = true;
        _jobs.CompleteAdding();
        _thread.Join();
        _jobs.Dispose();
    }

    private void ThrowIfFailed() => Volatile.Read(ref _failure)?.Throw();

    private void Run()
    {
        foreach (var job in _jobs.GetConsumingEnumerable())
        {
            try
            {
                if (!_stopping && Volatile.Read(ref _failure) == null) _write(job);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(job.Data);
                lock (_gate)
                {
                    if (--_pending == 0) Monitor.PulseAll(_gate);
                }
            }
        }
    }
}
