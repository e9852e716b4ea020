using Amazon.Runtime;
using Amazon.S3.Model;

namespace Duplicity.Backends.S3;

/// <summary>
/// The body of a GET: forwards reads, owns the SDK response, checks the byte count at the end and turns
/// read failures into <see cref="BackendException"/>s. The SDK's body stream itself checks the MD5 of
/// single-part objects against their ETag at the end (an <see cref="AmazonClientException"/>, mapped here).
/// An asynchronous read that receives nothing for the read timeout fails as transient: the SDK's own
/// timeout ends with the answer's headers, and a dropped connection would otherwise wait forever.
/// </summary>
internal sealed class S3ObjectReadStream : Stream
{
    private readonly GetObjectResponse _response;
    private readonly Stream _body;
    private readonly long _expectedLength;
    private readonly string _what;
    private readonly TimeSpan _readTimeout;
    private long _read;
    private bool _verified;

    public S3ObjectReadStream(GetObjectResponse response, string what, TimeSpan readTimeout)
    {
        _readTimeout = readTimeout;
        _response = response;
        _body = response.ResponseStream;
        _expectedLength = response.ContentLength;
        _what = what;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _expectedLength;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = _body.Read(buffer);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or AmazonClientException)
        {
            throw Broken(e);
        }
        return Account(buffer[..n], buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_readTimeout);
        try
        {
            n = await _body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BackendException(BackendErrorKind.Transient, $"S3 download of {_what} received nothing for {_readTimeout}.", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or AmazonClientException)
        {
            throw Broken(e);
        }
        return Account(buffer.Span[..n], buffer.Length);
    }

    private int Account(ReadOnlySpan<byte> data, int requested)
    {
        if (data.Length > 0)
        {
            _read += data.Length;
        }
        else if (!_verified && requested > 0)   // end of the body
        {
            Verify();
        }
        return data.Length;
    }

    private void Verify()
    {
        _verified = true;
        if (_expectedLength >= 0 && _read != _expectedLength)
            throw new BackendException(BackendErrorKind.Transient, $"S3 download of {_what} ended after {_read} of {_expectedLength} bytes.");
    }

    private BackendException Broken(Exception e) => e is AmazonClientException
        // Permanent for this stream: its bytes were already handed out, so continuing the read cannot repair them.
        ? new(BackendErrorKind.Permanent, $"S3 download of {_what} does not match its MD5 (ETag), corrupted in transit or at rest: {e.Message}", e)
        : new(BackendErrorKind.Transient, $"S3 download of {_what} failed: {BackendUrl.Redact(e.Message)}", e);

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            _response.Dispose();
        }
        base.Dispose(disposing);
    }
}
