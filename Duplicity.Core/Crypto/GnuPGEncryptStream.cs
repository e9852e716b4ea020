namespace Duplicity.Crypto;

/// <summary>
/// The plaintext side of a gpg encryption: writes go to gpg's stdin while a pump copies gpg's stdout
/// to the output file, so no volume is held in memory. Disposing closes stdin, waits for the pump and
/// for gpg, and throws the typed error if gpg failed. A cancelled write kills gpg instead.
/// </summary>
internal sealed class GnuPGEncryptStream : Stream
{
    private readonly GnuPGProcess _gpg;
    private readonly Task _pump;
    private bool _aborted;
    private bool _disposed;

    public GnuPGEncryptStream(GnuPGProcess gpg, Stream output)
    {
        _gpg = gpg;
        _pump = gpg.Output.CopyToAsync(output, 1 << 16);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await _gpg.Input.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Abort();
            throw;
        }
        catch (IOException e)
        {
            // gpg closed its stdin: it failed (bad recipient, ...); its exit code and log say why.
            _aborted = true;
            throw await FailureAsync(e).ConfigureAwait(false);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            _gpg.Input.Write(buffer);
        }
        catch (IOException e)
        {
            _aborted = true;
            throw Failure(e);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    private async Task<DuplicityException> FailureAsync(IOException broken)
    {
        try
        {
            await _gpg.WaitForSuccessAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (DuplicityException e)
        {
            return e;
        }
        return new DuplicityException(DuplicityErrorCode.GpgFailed, "GPG error: gpg stopped reading its input", broken);
    }

    private DuplicityException Failure(IOException broken)
    {
        try
        {
            _gpg.WaitForSuccess();
        }
        catch (DuplicityException e)
        {
            return e;
        }
        return new DuplicityException(DuplicityErrorCode.GpgFailed, "GPG error: gpg stopped reading its input", broken);
    }

    private void Abort()
    {
        _aborted = true;
        _gpg.Kill();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (_aborted)
            {
                _gpg.Kill();
                try { await _pump.ConfigureAwait(false); } catch (IOException) { /* the output is abandoned */ }
                return;
            }
            try
            {
                await _gpg.Input.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // gpg already exited; the exit code below says how
            }
            await _gpg.WaitForSuccessAsync(CancellationToken.None).ConfigureAwait(false);
            await _pump.ConfigureAwait(false);
        }
        finally
        {
            _gpg.Dispose();
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                if (_aborted)
                {
                    _gpg.Kill();
                    try { _pump.GetAwaiter().GetResult(); } catch (IOException) { /* the output is abandoned */ }
                    return;
                }
                try
                {
                    _gpg.Input.Dispose();
                }
                catch (IOException)
                {
                    // gpg already exited; the exit code below says how
                }
                _gpg.WaitForSuccess();
                _pump.GetAwaiter().GetResult();
            }
            finally
            {
                _gpg.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
