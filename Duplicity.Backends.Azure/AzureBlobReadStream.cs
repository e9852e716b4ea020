using Azure;

namespace Duplicity.Backends.Azure;

/// <summary>
/// The body of a blob download: forwards reads, reports the bytes it will deliver as its length (what a
/// resuming download checks), checks the byte count at the end and turns read failures into
/// <see cref="BackendException"/>s. The SDK's stream already resumes a broken read itself up to its retry
/// count and applies the network timeout to every read.
/// </summary>
internal sealed class AzureBlobReadStream(Stream body, long expectedLength, string what) : Stream
{
    private long _read;
    private bool _verified;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => expectedLength;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = body.Read(buffer);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or RequestFailedException or AggregateException)
        {
            throw Broken(e);
        }
        return Account(n, buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        try
        {
            n = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or RequestFailedException or AggregateException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Broken(e);
        }
        return Account(n, buffer.Length);
    }

    private int Account(int n, int requested)
    {
        if (n > 0)
        {
            _read += n;
        }
        else if (!_verified && requested > 0)   // end of the body
        {
            _verified = true;
            if (expectedLength >= 0 && _read != expectedLength)
                throw new BackendException(BackendErrorKind.Transient, $"Azure download of {what} ended after {_read} of {expectedLength} bytes.");
        }
        return n;
    }

    private BackendException Broken(Exception e) =>
        AzureErrorTranslator.Translate(e, $"download of {what}", "", CancellationToken.None)
        ?? new BackendException(BackendErrorKind.Transient, $"Azure download of {what} failed: {BackendUrl.Redact(e.Message)}", e);

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            body.Dispose();
        base.Dispose(disposing);
    }
}
