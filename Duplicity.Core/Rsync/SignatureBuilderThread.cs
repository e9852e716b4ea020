using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Duplicity.Rsync;

/// <summary>
/// Feeds a <see cref="SignatureBuilder"/> on a thread of its own, so that a changed large file's new
/// signature and its delta are computed side by side: both hash every block with MD4, about equal
/// work, which one thread did in turn. The data is copied into one of a few 64 KiB buffers, so the
/// caller may reuse its own at once; the output is the builder's, byte for byte.
/// </summary>
internal sealed class SignatureBuilderThread : IDisposable
{
    /// <summary>Largest piece <see cref="Append"/> takes.</summary>
    public const int MaxPiece = 64 * 1024;

    private const int Buffers = 4;

    private readonly SignatureBuilder _builder;
    private readonly BlockingCollection<(byte[] Buffer, int Length)> _pending = new(Buffers);
    private readonly BlockingCollection<byte[]> _free = new(Buffers);
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;
    private bool _joined;

    /// <summary>Starts the thread; <paramref name="output"/> is written from it until <see cref="Complete"/> returns.</summary>
    public SignatureBuilderThread(int blockLength, Stream output)
    {
        _builder = new SignatureBuilder(blockLength, output);
        for (int i = 0; i < Buffers; i++) _free.Add(new byte[MaxPiece]);
        _thread = new Thread(Run) { IsBackground = true, Name = "signature" };
        _thread.Start();
    }

    /// <summary>Queues the next piece of the file (at most <see cref="MaxPiece"/> bytes), waiting while every buffer is taken.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, MaxPiece);
        ObjectDisposedException.ThrowIf(_pending.IsAddingCompleted, this);
        byte[] buffer = _free.Take();
        data.CopyTo(buffer);
        _pending.Add((buffer, data.Length));
    }

    /// <summary>Waits for the queued pieces, then writes the signature's last entries; rethrows a failure of the thread.</summary>
    public void Complete()
    {
        Join();
        _failure?.Throw();
        _builder.Complete();
    }

    /// <summary>Stops the thread (without completing the signature when <see cref="Complete"/> was not called).</summary>
    public void Dispose()
    {
        Join();
        _pending.Dispose();
        _free.Dispose();
    }

    private void Join()
    {
        if (_joined) return;
        _pending.CompleteAdding();
        _thread.Join();
        _joined = true;
    }

    private void Run()
    {
        foreach (var (buffer, length) in _pending.GetConsumingEnumerable())
        {
            if (_failure is null)
            {
                try
                {
                    _builder.Append(buffer.AsSpan(0, length));
                }
#pragma warning disable CA1031 // Rethrown by Complete on the caller's thread; the caller's pieces are still taken so it never waits forever.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _failure = ExceptionDispatchInfo.Capture(e);
                }
            }
            _free.Add(buffer);
        }
    }
}
