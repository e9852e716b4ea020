namespace Duplicity.Backends.Swift;

/// <summary>
/// An object's body being downloaded; disposing it releases the HTTP response. Transport failures become
/// transient <see cref="BackendException"/>s; so does an asynchronous read that receives nothing for the read
/// timeout (a dropped connection would otherwise wait forever). With a <see cref="ContentCheck"/>, the body is
/// checked against the object's MD5s as it passes.
/// </summary>
internal sealed class DownloadStream(HttpResponseMessage response, Stream body, string displayName, TimeSpan readTimeout, ContentCheck? check) : Stream
{
    private bool _checked;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(readTimeout);
        int read;
        try
        {
            read = await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BackendException(BackendErrorKind.Transient, $"Download of {displayName} received nothing for {readTimeout}.", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw Broken(e);
        }
        return Checked(buffer.Span[..read], buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        int read;
        try
        {
            read = body.Read(buffer, offset, count);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw Broken(e);
        }
        return Checked(buffer.AsSpan(offset, read), count);
    }

    private int Checked(ReadOnlySpan<byte> data, int requested)
    {
        if (check is null)
            return data.Length;
        if (!data.IsEmpty)
            check.Append(data);
        else if (requested > 0 && !_checked)
        {
            _checked = true;
            check.Complete();
        }
        return data.Length;
    }

    private BackendException Broken(Exception e) =>
        new(BackendErrorKind.Transient, $"Download of {displayName} broke off: {e.Message}", e);

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
