namespace Duplicity.Backends.Ftp;

/// <summary>
/// The bytes of a RETR. At the end of the data the server's closing reply is read (a 426 there means the
/// transfer broke: a transient error, never a short file taken as whole) and the session goes back to the
/// pool. Disposed before the end, the session is closed instead.
/// </summary>
internal sealed class FtpDownloadStream(FtpDataChannel? channel, FtpSession session, string name, Func<FtpSession, bool, ValueTask> release,
    string displayName) : Stream
{
    private bool _ended = channel is null;
    private bool _released;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended || buffer.Length == 0)
            return 0;
        int read;
        try
        {
            read = await channel!.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _ended = true;
                await channel.DisposeAsync().ConfigureAwait(false);
                await session.ExpectTransferCompleteAsync("RETR", name, cancellationToken).ConfigureAwait(false);
                await ReleaseAsync(healthy: true).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            await ReleaseAsync(healthy: false).ConfigureAwait(false);
            throw FtpErrors.IsConnectionFailure(e) ? FtpErrors.FromConnection(e, displayName) : e;
        }
        catch
        {
            await ReleaseAsync(healthy: false).ConfigureAwait(false);
            throw;
        }
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_ended || buffer.Length == 0)
            return 0;
        try
        {
            var read = channel!.Read(buffer);
            // The closing reply is read when the stream is disposed asynchronously; a synchronous dispose drops the session.
            if (read == 0)
                _ended = true;
            return read;
        }
        catch (Exception e) when (FtpErrors.IsConnectionFailure(e))
        {
            throw FtpErrors.FromConnection(e, displayName);
        }
    }

    private async ValueTask ReleaseAsync(bool healthy)
    {
        if (_released)
            return;
        _released = true;
        if (channel is not null)
            await channel.DisposeAsync().ConfigureAwait(false);
        await release(session, healthy).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_released && _ended && channel is not null)
        {
            // Ended through a synchronous Read: the server's 226 is still to be read.
            try
            {
                await channel.DisposeAsync().ConfigureAwait(false);
                await session.ExpectTransferCompleteAsync("RETR", name, CancellationToken.None).ConfigureAwait(false);
                await ReleaseAsync(healthy: true).ConfigureAwait(false);
            }
            catch (Exception e) when (FtpErrors.IsConnectionFailure(e) || e is BackendException)
            {
                await ReleaseAsync(healthy: false).ConfigureAwait(false);
            }
        }
        await ReleaseAsync(healthy: _ended && channel is null).ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_released)
        {
            _released = true;
            channel?.Dispose();
            // Not back to the pool: the closing reply may still be unread.
            _ = release(session, false).AsTask();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
