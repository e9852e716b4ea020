namespace Duplicity.Backends.Ssh;

/// <summary>
/// The stream <see cref="SftpBackend.GetAsync"/> returns: reads pass straight to SSH.NET's file stream,
/// but a connection lost mid-read surfaces as a transient <see cref="BackendException"/>, like every
/// other backend failure. <see cref="Length"/> is the number of bytes the stream will deliver.
/// </summary>
internal sealed class DownloadStream(Stream remote, long length, string name, string displayName) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return remote.Read(buffer);
        }
        catch (Exception e) when (SshErrorTranslator.IsConnectionError(e))
        {
            throw SshErrorTranslator.Translate(e, $"read '{name}'", displayName);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await remote.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SshErrorTranslator.IsConnectionError(e))
        {
            throw SshErrorTranslator.Translate(e, $"read '{name}'", displayName);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                remote.Dispose();
            }
            catch (Exception e) when (SshErrorTranslator.IsConnectionError(e))
            {
                // Closing the remote handle fails when the connection is gone; nothing is left to release.
            }
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await remote.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (SshErrorTranslator.IsConnectionError(e))
        {
            // As in Dispose.
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
