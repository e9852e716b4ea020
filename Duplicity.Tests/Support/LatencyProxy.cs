using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Duplicity.Tests.Support;

/// <summary>
/// A TCP forwarder on 127.0.0.1 that delays every byte by a fixed one-way latency in each direction, so a
/// request and its reply take twice that longer: a distant server on loopback. Bandwidth is not limited
/// (data keeps flowing while earlier data waits out its delay), as on a fast link far away.
/// </summary>
public sealed class LatencyProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly TimeSpan _oneWay;
    private readonly CancellationTokenSource _stop = new();
    private (byte[] From, byte[] To)? _rewrite;

    /// <param name="targetPort">The real server's port on 127.0.0.1.</param>
    /// <param name="roundTrip">Latency added to every round trip (half each way).</param>
    public LatencyProxy(int targetPort, TimeSpan roundTrip)
    {
        _targetPort = targetPort;
        _oneWay = roundTrip / 2;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections were accepted.</summary>
    public int Connections => _connections;
    private int _connections;

    /// <summary>Replaces <paramref name="from"/> by <paramref name="to"/> (same length) in what the server sends (URLs in Keystone's catalog).</summary>
    public void RewriteDownstream(string from, string to)
    {
        if (from.Length != to.Length) throw new ArgumentException("a rewrite must keep the length (Content-Length)");
        _rewrite = (Encoding.ASCII.GetBytes(from), Encoding.ASCII.GetBytes(to));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
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
            Interlocked.Increment(ref _connections);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var _ = client;
        client.NoDelay = true;
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, connection.Token);
            await Task.WhenAll(PumpAsync(client, server, connection, rewrite: false), PumpAsync(server, client, connection, rewrite: true));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    // Reads as fast as the sender sends; each chunk leaves once its delay is over, in order.
    private async Task PumpAsync(Socket from, Socket to, CancellationTokenSource connection, bool rewrite)
    {
        var queue = Channel.CreateUnbounded<(byte[] Data, long Due)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var sender = SendAsync(to, queue.Reader, connection);
        try
        {
            while (true)
            {
                var buffer = new byte[64 * 1024];
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, connection.Token);
                if (read == 0) break;
                if (rewrite) Rewrite(buffer.AsSpan(0, read));
                queue.Writer.TryWrite((buffer[..read], Stopwatch.GetTimestamp() + (long)(_oneWay.TotalSeconds * Stopwatch.Frequency)));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            await connection.CancelAsync();
        }
        queue.Writer.TryComplete();
        await sender;
    }

    private static async Task SendAsync(Socket to, ChannelReader<(byte[] Data, long Due)> queue, CancellationTokenSource connection)
    {
        try
        {
            await foreach (var (data, due) in queue.ReadAllAsync(connection.Token))
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, connection.Token);
                await to.SendAsync(data, SocketFlags.None, connection.Token);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            await connection.CancelAsync();
        }
    }

    private void Rewrite(Span<byte> data)
    {
        if (_rewrite is not var (from, to)) return;
        int start = 0, index;
        while ((index = data[start..].IndexOf(from)) >= 0)
        {
            to.CopyTo(data[(start + index)..]);
            start += index + from.Length;
        }
    }
}
