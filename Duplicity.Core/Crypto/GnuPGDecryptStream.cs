namespace Duplicity.Crypto;

/// <summary>
/// The plaintext side of a gpg decryption: a pump feeds the stored file to gpg's stdin while reads
/// come from gpg's stdout. At the end of the data gpg's exit code and status are checked (a failed
/// run throws instead of ending the stream; the expected signer is compared as duplicity does).
/// Disposing before the end, or cancelling, kills gpg.
/// </summary>
internal sealed class GnuPGDecryptStream : Stream
{
    private readonly GnuPGProcess _gpg;
    private readonly Stream _input;
    private readonly string? _expectedSigner;
    private readonly CancellationTokenRegistration _cancel;
    private readonly Task _pump;
    private readonly CancellationToken _cancellationToken;
    private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _inputError;
    private bool _finished;
    private bool _disposed;

    public GnuPGDecryptStream(GnuPGProcess gpg, Stream input, string? expectedSigner, CancellationToken cancellationToken)
    {
        _gpg = gpg;
        _input = input;
        _expectedSigner = expectedSigner;
        _cancellationToken = cancellationToken;
        _cancel = cancellationToken.Register(static g => ((GnuPGProcess)g!).Kill(), gpg);
        _pump = PumpAsync(cancellationToken);
    }

    /// <summary>
    /// Feeds the stored file to gpg. An error reading the file is the caller's to see (it is rethrown
    /// at the end of the data, and gpg is stopped); gpg refusing more input is not: its exit code says why.
    /// </summary>
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        try
        {
            while (true)
            {
                int n;
                try
                {
                    n = await _input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _inputError = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                    _gpg.Kill();
                    return;
                }
                if (n == 0) break;
                await _gpg.Input.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
            await _gpg.Input.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // gpg stopped reading (it failed); its exit code says why
        }
        catch (OperationCanceledException)
        {
            _gpg.Kill();
        }
        catch (ObjectDisposedException)
        {
            // the reader went away first
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_finished || buffer.Length == 0) return 0;
        int n = await _gpg.Output.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (n > 0) return n;
        await _pump.ConfigureAwait(false);
        ThrowIfKilled();
        _finished = true;
        CheckSigner(await _gpg.WaitForSuccessAsync(cancellationToken).ConfigureAwait(false));
        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer)
    {
        if (_finished || buffer.Length == 0) return 0;
        int n = _gpg.Output.Read(buffer);
        if (n > 0) return n;
        _pump.GetAwaiter().GetResult();
        ThrowIfKilled();
        _finished = true;
        CheckSigner(_gpg.WaitForSuccess());
        return 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>The end of gpg's output after a kill is a cancellation, not the end of the data.</summary>
    private void ThrowIfKilled()
    {
        _inputError?.Throw();
        if (_gpg.WasKilled) throw new OperationCanceledException("the restore was cancelled; gpg was stopped", _cancellationToken);
    }

    private void CheckSigner(GnuPGDiagnostics diagnostics)
    {
        if (_expectedSigner == null) return;
        var expected = KeyIdentifier.Parse(_expectedSigner).Hex;
        var good = diagnostics.GoodSignatureKeyId;
        // duplicity compares the GOODSIG key id's tail; a fingerprint from VALIDSIG (signing or primary key) also counts.
        foreach (var candidate in new[] { good }.Concat(diagnostics.ValidSignatureFingerprints))
        {
            if (candidate == null) continue;
            var length = Math.Min(candidate.Length, expected.Length);
            if (string.Equals(candidate[^length..], expected[^length..], StringComparison.OrdinalIgnoreCase)) return;
        }
        var actual = good ?? "None";
        var shown = Math.Min(actual.Length, expected.Length);
        throw new DuplicityException(DuplicityErrorCode.UnsignedVolume, $"Volume was signed by key {actual[^shown..]}, not {expected[^shown..]}");
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (!_finished) _gpg.Kill();
            await _cancel.DisposeAsync().ConfigureAwait(false);
            try { await _pump.ConfigureAwait(false); } catch (Exception e) when (e is IOException or OperationCanceledException) { }
            _gpg.Dispose();
            await _input.DisposeAsync().ConfigureAwait(false);
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (!_finished) _gpg.Kill();
            _cancel.Dispose();
            try { _pump.GetAwaiter().GetResult(); } catch (Exception e) when (e is IOException or OperationCanceledException) { }
            _gpg.Dispose();
            _input.Dispose();
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
