namespace Duplicity.Backends.WebDav;

/// <summary>
/// A response body being read (a download or a listing); disposing it releases the HTTP response. Transport
/// failures become transient <see cref="BackendException"/>s, and so does a read that receives nothing for the
/// read timeout (a dropped connection would otherwise wait forever). <paramref name="outer"/> also cancels reads
/// made without a token (XmlReader passes none).
/// </summary>
internal sealed class ResponseBodyStream(HttpResponseMessage response, Stream body, string displayName, TimeSpan readTimeout, CancellationToken outer) : Stream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, outer);
        timeout.CancelAfter(readTimeout);
        try
        {
            return await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && !outer.IsCancellationRequested)
        {
            throw new BackendException(BackendErrorKind.Transient, $"WebDAV {displayName} received nothing for {readTimeout}.", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw Broken(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return body.Read(buffer, offset, count);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw Broken(e);
        }
    }

    private BackendException Broken(Exception e) =>
        new(BackendErrorKind.Transient, $"WebDAV {displayName} broke off: {e.Message}", e);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            body.Dispose();
            response.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
