using System.Diagnostics;

namespace Duplicity.Backends.Rclone;

/// <summary>
/// A file read through <c>rclone cat</c>'s standard output. The end of the output counts as the end of the
/// file only when rclone exits with 0; otherwise the read throws rclone's error, so a download that broke
/// off is never taken for a shorter file. Disposing kills an rclone still running.
/// </summary>
internal sealed class RcloneDownloadStream : Stream
{
    private readonly Process _process;
    private readonly Stream _output;
    private readonly Task<string> _standardError;
    private readonly string _operation;
    private readonly byte[] _head;
    private int _headPosition;
    private bool _ended;
    private long _position;

    private RcloneDownloadStream(Process process, Task<string> standardError, string operation, byte[] head)
    {
        _process = process;
        _output = process.StandardOutput.BaseStream;
        _standardError = standardError;
        _operation = operation;
        _head = head;
    }

    /// <summary>
    /// Starts the read and waits for its first bytes (or its end), so a missing file throws
    /// <see cref="BackendErrorKind.NotFound"/> here rather than at the first read.
    /// </summary>
    public static async Task<RcloneDownloadStream> OpenAsync(RcloneRunner runner, string operation, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var process = runner.Start(operation, arguments);
        try
        {
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var head = new byte[64 * 1024];
            int read;
            using (cancellationToken.Register(static p => RcloneRunner.Kill((Process)p!), process))
            {
                read = await process.StandardOutput.BaseStream.ReadAsync(head, CancellationToken.None).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
            var stream = new RcloneDownloadStream(process, stderr, operation, head[..read]);
            if (read == 0)
                await stream.EndAsync(CancellationToken.None).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            RcloneRunner.Kill(process);
            process.Dispose();
            throw;
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0 || _ended)
            return 0;
        int read;
        if (_headPosition < _head.Length)
        {
            read = Math.Min(buffer.Length, _head.Length - _headPosition);
            _head.AsSpan(_headPosition, read).CopyTo(buffer);
            _headPosition += read;
        }
        else
        {
            read = _output.Read(buffer);
            if (read == 0)
            {
                // The output is closed: rclone has ended or is ending.
                _process.WaitForExit();
                Finish(_standardError.GetAwaiter().GetResult());
                return 0;
            }
        }
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0 || _ended)
            return 0;
        int read;
        if (_headPosition < _head.Length)
        {
            read = Math.Min(buffer.Length, _head.Length - _headPosition);
            _head.AsSpan(_headPosition, read).CopyTo(buffer.Span);
            _headPosition += read;
        }
        else
        {
            using (cancellationToken.Register(static p => RcloneRunner.Kill((Process)p!), _process))
            {
                read = await _output.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (read == 0)
            {
                await EndAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }
        }
        _position += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            RcloneRunner.Kill(_process);
            _process.Dispose();
        }
        base.Dispose(disposing);
    }

    private async Task EndAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        Finish(await _standardError.ConfigureAwait(false));
    }

    private void Finish(string standardError)
    {
        if (_process.ExitCode != 0)
            throw RcloneErrorTranslator.Translate(_operation, _process.ExitCode, standardError);
        _ended = true;
    }
}
