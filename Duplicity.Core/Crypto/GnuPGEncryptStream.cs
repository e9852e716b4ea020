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
        _pump = PumpAsync(output);
    }

    /// <summary>Copies gpg's output to the file; if the file cannot take it, gpg is stopped so no write waits forever.</summary>
    private async Task PumpAsync(Stream output)
    {
        try
        {
            await _gpg.Output.CopyToAsync(output, 1 << 16).ConfigureAwait(false);
        }
        catch
        {
            _gpg.Kill();
            throw;
        }
    }

    /// <summary>When the output file failed (disk full, ...), that error, not gpg's, is the one to report.</summary>
    private void ThrowIfOutputFailed()
    {
        if (_pump.IsFaulted && _pump.Exception?.InnerException is { } e)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e).Throw();
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
            // gpg closed its stdin: it failed (bad recipient, ...), or the output did; the exit code and log say why.
            _aborted = true;
            try { await _pump.ConfigureAwait(false); } catch (Exception) { ThrowIfOutputFailed(); }
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
            try { _pump.GetAwaiter().GetResult(); } catch (Exception) { ThrowIfOutputFailed(); }
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
            // gpg's output ends when gpg does; a failed output file stopped gpg and is the error to report.
            await _pump.ConfigureAwait(false);
            await _gpg.WaitForSuccessAsync(CancellationToken.None).ConfigureAwait(false);
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
                _pump.GetAwaiter().GetResult();
                _gpg.WaitForSuccess();
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
