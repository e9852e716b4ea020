using System.Net;
using System.Net.Sockets;

namespace Duplicity.Tests.Support;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a server that breaks one download: once <see cref="CutAfter"/> was
/// called, the connection that carries the given number of further bytes from the server is reset (RST)
/// right there, once; after <see cref="CorruptAfter"/> the byte there is flipped instead and the connection
/// goes on (as a faulty link does: an SSH client sees a MAC error); every other connection, before and
/// after, passes untouched.
/// </summary>
public sealed class DownloadCuttingRelay : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private long _budget = long.MaxValue;
    private volatile bool _corrupt;
    private volatile bool _graceful;
    private int _cuts;

    public DownloadCuttingRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    /// <summary>The port clients connect to instead of the server's.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections were cut (0 or 1).</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>
    /// Resets the connection that carries byte number <paramref name="bytes"/> + 1 sent by the server from now
    /// on; <paramref name="graceful"/> closes it in order (FIN) instead.
    /// </summary>
    public void CutAfter(long bytes, bool graceful = false)
    {
        _corrupt = false;
        _graceful = graceful;
        Interlocked.Exchange(ref _budget, bytes);
    }

    /// <summary>Flips one bit of byte number <paramref name="bytes"/> + 1 sent by the server from now on; counts as a cut.</summary>
    public void CorruptAfter(long bytes)
    {
        _corrupt = true;
        Interlocked.Exchange(ref _budget, bytes);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var _ = client;
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            await Task.WhenAny(PumpAsync(client, server, fromServer: false), PumpAsync(server, client, fromServer: true));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool fromServer)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                var allowed = fromServer ? Take(read) : read;
                if (allowed < read && _corrupt)
                {
                    buffer[allowed] ^= 0x10;
                    allowed = read;
                }
                if (allowed > 0)
                    await to.SendAsync(buffer.AsMemory(0, allowed), SocketFlags.None, _stop.Token);
                if (allowed < read)
                {
                    if (_graceful)
                    {
                        // An orderly end (FIN), as a server process that exits does.
                        to.Shutdown(SocketShutdown.Both);
                        from.Close();
                        to.Close();
                        return;
                    }
                    // Linger 0: close with a reset, as a dropped link or a crashed middlebox does.
                    to.LingerState = new LingerOption(true, 0);
                    from.LingerState = new LingerOption(true, 0);
                    to.Close();
                    from.Close();
                    return;
                }
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    // How much of `read` bytes may pass; the first to run out of budget cuts, and the budget ends with it.
    private int Take(int read)
    {
        while (true)
        {
            var budget = Interlocked.Read(ref _budget);
            if (budget == long.MaxValue)
                return read;
            if (budget >= read)
            {
                if (Interlocked.CompareExchange(ref _budget, budget - read, budget) == budget)
                    return read;
                continue;
            }
            if (Interlocked.CompareExchange(ref _budget, long.MaxValue, budget) == budget)
            {
                Interlocked.Increment(ref _cuts);
                return (int)budget;
            }
        }
    }
}
