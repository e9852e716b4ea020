using System.Net.Security;
using System.Net.Sockets;

namespace Duplicity.Backends.Ftp;

/// <summary>
/// One data connection (a transfer or a listing): reads and writes under the idle timeout, TLS when the
/// control connection asked for PROT P. Closing it ends the transfer (for an upload: the file is complete).
/// </summary>
internal sealed class FtpDataChannel : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private Stream _stream;

    public FtpDataChannel(Socket socket, TimeSpan timeout, TimeProvider time)
    {
        _socket = socket;
        _timeout = timeout;
        _time = time;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public async Task StartTlsAsync(SslClientAuthenticationOptions tls, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        _stream = ssl;
        await TimeoutGuard.RunAsync(ct => new ValueTask(ssl.AuthenticateAsClientAsync(tls, ct)), _timeout, _time, Abort,
            "negotiating TLS on the data connection", cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        TimeoutGuard.RunAsync(ct => _stream.ReadAsync(buffer, ct), _timeout, _time, Abort, "receiving data", cancellationToken);

    public int Read(Span<byte> buffer) => _stream.Read(buffer);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) =>
        TimeoutGuard.RunAsync(ct => _stream.WriteAsync(buffer, ct), _timeout, _time, Abort, "sending data", cancellationToken);

    /// <summary>Ends an upload: a TLS close_notify, then the socket's FIN, so the server knows the file is whole.</summary>
    public async Task CompleteUploadAsync(CancellationToken cancellationToken)
    {
        await TimeoutGuard.RunAsync(async ct =>
        {
            await _stream.FlushAsync(ct).ConfigureAwait(false);
            if (_stream is SslStream ssl)
                await ssl.ShutdownAsync().WaitAsync(ct).ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
            // Read to the server's end before closing: closing with unread bytes (TLS 1.3 session tickets the
            // server sent after the handshake) makes the kernel send a reset, and the server fails the STOR (426).
            var sink = new byte[4096];
            try
            {
                while (await _stream.ReadAsync(sink, ct).ConfigureAwait(false) > 0)
                {
                }
            }
            catch (IOException)
            {
                // The server's reply on the control connection decides whether the upload succeeded.
            }
        }, _timeout, _time, Abort, "closing the data connection", cancellationToken).ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Reads the whole data connection (a listing).</summary>
    public async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
    {
        using var all = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            all.Write(buffer.AsSpan(0, read));
        return all.ToArray();
    }

    public void Abort() => _socket.Dispose();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The peer closed first; nothing to release.
        }
        _socket.Dispose();
    }

    public void Dispose()
    {
        try
        {
            _stream.Dispose();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The peer closed first; nothing to release.
        }
        _socket.Dispose();
    }
}
