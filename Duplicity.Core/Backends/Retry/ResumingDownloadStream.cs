namespace Duplicity.Backends.Retry;

/// <summary>
/// A download that survives breaks: when a read fails in a way a retry may fix, the file is opened again at
/// the byte reached (<see cref="IBackend.GetFromAsync"/>) and reading goes on, so the caller sees every byte
/// exactly once. When the backend told the file's length, the stream must end exactly there: an early end
/// counts as a break, a reopened part of the wrong length or a longer file as a changed file.
/// </summary>
/// <remarks>
/// Every break uses one attempt of the same budget as opening the download (<see cref="RetryOptions.NumRetries"/>
/// attempts in all), so a download that keeps breaking ends with duplicity's "Giving up" error.
/// </remarks>
internal sealed class ResumingDownloadStream : Stream
{
    private readonly IBackend _backend;
    private readonly string _name;
    private readonly RetryAttempts _attempts;
    private readonly long _start;
    private readonly long? _end;
    private Stream _current;
    private long _position;
    private int _failures;

    /// <param name="backend">Reopens the file after a break.</param>
    /// <param name="name">The file.</param>
    /// <param name="first">The stream already opened, reading from <paramref name="start"/>.</param>
    /// <param name="start">The file offset <paramref name="first"/> starts at.</param>
    /// <param name="failures">Attempts that failed while opening <paramref name="first"/>.</param>
    /// <param name="attempts">Decides waits and when to give up.</param>
    public ResumingDownloadStream(IBackend backend, string name, Stream first, long start, int failures, RetryAttempts attempts)
    {
        _backend = backend;
        _name = name;
        _current = first;
        _start = _position = start;
        _failures = failures;
        _attempts = attempts;
        _end = start + RemainingLength(first);
    }

    /// <summary>How many times the download broke off and was opened again.</summary>
    public int Resumptions { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
            return 0;
        while (true)
        {
            try
            {
                var read = await _current.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0 && _position < _end)
                    throw new EndOfStreamException($"The download of '{_name}' ended after {_position} of {_end} bytes.");
                _position += read;
                if (_position > _end)
                    throw Changed($"is longer than the {_end} bytes announced");
                return read;
            }
            catch (Exception e) when (RetryAttempts.ShouldRetry(e, cancellationToken))
            {
                await ReopenAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReopenAsync(Exception error, CancellationToken cancellationToken)
    {
        while (true)
        {
            await DisposeQuietlyAsync(_current).ConfigureAwait(false);
            _current = Stream.Null;
            _failures++;
            await _attempts.WaitBeforeNextAsync($"get '{_name}' from byte {_position}", _failures, error, cancellationToken).ConfigureAwait(false);
            try
            {
                var next = await _backend.GetFromAsync(_name, _position, cancellationToken).ConfigureAwait(false);
                if (_end is { } end && RemainingLength(next) is { } remaining && _position + remaining != end)
                {
                    await DisposeQuietlyAsync(next).ConfigureAwait(false);
                    throw Changed($"now has {_position + remaining} bytes, not {end}");
                }
                _current = next;
                Resumptions++;
                return;
            }
            catch (Exception e) when (RetryAttempts.ShouldRetry(e, cancellationToken))
            {
                error = e;
            }
        }
    }

    // Reading it again cannot help: the file is not the one whose first part the caller already has.
    private BackendException Changed(string how) =>
        new(BackendErrorKind.Permanent, $"'{_name}' changed on {_backend.DisplayName} while it was downloaded: it {how}.");

    /// <summary>The bytes a freshly opened download will deliver, when the backend said so.</summary>
    private static long? RemainingLength(Stream stream)
    {
        try
        {
            var length = stream.CanSeek ? stream.Length - stream.Position : stream.Length;
            return length >= 0 ? length : null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static async ValueTask DisposeQuietlyAsync(Stream stream)
    {
        try
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (RetryingBackend.IsRetryable(e))
        {
            // Closing a broken connection may fail too; it is being replaced.
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Decoders that read synchronously get the same resuming reads; the waits between attempts block them.
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _end is { } end ? end - _start : throw new NotSupportedException();
    public override long Position { get => _position - _start; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _current.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _current.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
