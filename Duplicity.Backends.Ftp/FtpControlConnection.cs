using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Duplicity.Backends.Ftp;

/// <summary>
/// The control connection: commands out as UTF-8 lines, replies in through <see cref="FtpReplyParser"/>, TLS
/// on top when asked. Every step runs under the idle timeout; a failure of any kind marks it broken.
/// </summary>
internal sealed class FtpControlConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly FtpReplyParser _parser = new();
    private readonly byte[] _buffer = new byte[8192];
    private Stream _stream;
    private int _start;
    private int _end;

    private FtpControlConnection(Socket socket, TimeSpan timeout, TimeProvider time)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _timeout = timeout;
        _time = time;
    }

    /// <summary>Whether a step failed or timed out: the connection must not be used again.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>Whether the connection is protected by TLS.</summary>
    public bool IsTls => _stream is SslStream;

    /// <summary>The negotiated TLS protocol, or null on a plain connection.</summary>
    public string? TlsProtocol => (_stream as SslStream)?.SslProtocol.ToString();

    public IPEndPoint RemoteEndPoint => (IPEndPoint)_socket.RemoteEndPoint!;

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public TimeSpan Timeout => _timeout;

    public TimeProvider Time => _time;

    public static async Task<FtpControlConnection> ConnectAsync(string host, int port, TimeSpan timeout, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await TimeoutGuard.RunAsync(ct => socket.ConnectAsync(host, port, ct), timeout, time, socket.Dispose,
                $"connecting to {host}:{port}", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new FtpControlConnection(socket, timeout, time);
    }

    /// <summary>Puts TLS on the connection (right after connecting for implicit TLS, after AUTH TLS for explicit).</summary>
    public async Task StartTlsAsync(SslClientAuthenticationOptions tls, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        _stream = ssl;
        await GuardAsync(ct => new ValueTask(ssl.AuthenticateAsClientAsync(tls, ct)), "negotiating TLS", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a command and reads its reply (the first one, which may be preliminary).</summary>
    public async Task<FtpReply> CommandAsync(string command, CancellationToken cancellationToken)
    {
        await SendAsync(command, cancellationToken).ConfigureAwait(false);
        return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SendAsync(string command, CancellationToken cancellationToken)
    {
        if (command.Contains('\r') || command.Contains('\n'))
            throw new ArgumentException("An FTP command cannot contain a line break.", nameof(command));
        var bytes = Encoding.UTF8.GetBytes(command + "\r\n");
        // The verb only: the argument may be a password.
        var verb = command.Split(' ', 2)[0];
        await GuardAsync(async ct =>
        {
            await _stream.WriteAsync(bytes, ct).ConfigureAwait(false);
            await _stream.FlushAsync(ct).ConfigureAwait(false);
        }, $"sending {verb}", cancellationToken).ConfigureAwait(false);
    }

    public async Task<FtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            FtpReply? reply;
            try
            {
                reply = _parser.Add(line);
            }
            catch (FormatException)
            {
                IsBroken = true;
                throw;
            }
            if (reply is not null)
            {
                // 421: the server is closing the connection (shutting down, idle timeout, too many users).
                if (reply.Code == 421)
                    IsBroken = true;
                return reply;
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', scanned, _end - scanned);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == '\r')
                    length--;
                var line = Encoding.UTF8.GetString(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }
            scanned = _end;
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                scanned -= _start;
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                IsBroken = true;
                throw new FormatException($"a reply line longer than {_buffer.Length} bytes");
            }
            var read = await GuardAsync(ct => _stream.ReadAsync(_buffer.AsMemory(_end), ct), "waiting for a reply", cancellationToken)
                .ConfigureAwait(false);
            if (read == 0)
            {
                IsBroken = true;
                throw new IOException("the server closed the control connection");
            }
            _end += read;
        }
    }

    private async ValueTask<T> GuardAsync<T>(Func<CancellationToken, ValueTask<T>> step, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await TimeoutGuard.RunAsync(step, _timeout, _time, Abort, what, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            IsBroken = true;
            throw;
        }
    }

    private async ValueTask GuardAsync(Func<CancellationToken, ValueTask> step, string what, CancellationToken cancellationToken) =>
        await GuardAsync(async ct =>
        {
            await step(ct).ConfigureAwait(false);
            return true;
        }, what, cancellationToken).ConfigureAwait(false);

    /// <summary>Closes the sockets at once (a timeout or a cancellation).</summary>
    public void Abort()
    {
        IsBroken = true;
        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        IsBroken = true;
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // Already gone; nothing to release.
        }
        _socket.Dispose();
    }
}
