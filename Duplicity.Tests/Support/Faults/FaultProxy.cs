using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Duplicity.Tests.Support.Faults;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of a real server that breaks connections on purpose: each accepted
/// connection gets a <see cref="ProxyFault"/> drawn from a seeded <see cref="Random"/> (the seed is printed,
/// so a failing run can be replayed with <c>DUPLICITY_FAULT_SEED</c>), and every fault that fires is counted
/// in <see cref="FaultTally"/>. <see cref="Enabled"/> off forwards cleanly, to check what a faulty run left.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly Random _random;
    private readonly double _faultRate;
    private readonly long _maxOffset;
    private readonly IReadOnlyList<ProxyFaultKind> _kinds;
    private readonly TimeSpan _longStall;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private readonly ConcurrentQueue<string> _fired = new();
    private (byte[] From, byte[] To)? _rewrite;

    public FaultProxy(int targetPort, int seed, double faultRate, long maxOffset, IReadOnlyList<ProxyFaultKind> kinds, TimeSpan longStall)
    {
        _targetPort = targetPort;
        _random = new Random(seed);
        _faultRate = faultRate;
        _maxOffset = maxOffset;
        _kinds = kinds;
        _longStall = longStall;
        Seed = seed;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Seed { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Whether new connections get faults (on by default).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many connections were accepted.</summary>
    public int Connections => _connections;
    private int _connections;

    /// <summary>Bytes forwarded, both directions.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);
    private long _bytes;

    /// <summary>The faults that fired, in order, for the failure message.</summary>
    public IReadOnlyList<string> Fired => [.. _fired];

    /// <summary>
    /// Replaces <paramref name="from"/> by <paramref name="to"/> (same length) in what the server sends,
    /// so that URLs a server hands out (Keystone's catalog) lead through another proxy too.
    /// </summary>
    public void RewriteDownstream(string from, string to)
    {
        if (from.Length != to.Length) throw new ArgumentException("a rewrite must keep the length (Content-Length)");
        _rewrite = (Encoding.ASCII.GetBytes(from), Encoding.ASCII.GetBytes(to));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var socket in _sockets.Keys) socket.Dispose();
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
            Interlocked.Increment(ref _connections);
            _ = RelayAsync(client);
        }
    }

    // Each direction of a connection: a fault on _faultRate of them; one that survives a fault always gets another.
    private ProxyFault NextFault(double rate)
    {
        lock (_random)
            return Enabled ? ProxyFault.Random(_random, rate, _maxOffset, _kinds, _longStall) : ProxyFault.None;
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _sockets[client] = 0;
        _sockets[server] = 0;
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, connection.Token);
            var up = PumpAsync(client, server, NextFault(_faultRate) with { Upstream = true }, connection, rewrite: false);
            var down = PumpAsync(server, client, NextFault(_faultRate) with { Upstream = false }, connection, rewrite: true);
            await Task.WhenAll(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _sockets.TryRemove(client, out _);
            _sockets.TryRemove(server, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to, ProxyFault fault, CancellationTokenSource connection, bool rewrite)
    {
        var buffer = new byte[64 * 1024];
        long position = 0;
        bool fired = fault.Kind == ProxyFaultKind.None;
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, connection.Token)) > 0)
            {
                if (rewrite) Rewrite(buffer.AsSpan(0, read));
                int sendCount = read;
                if (!fired && position + read > fault.Offset)
                {
                    fired = true;
                    Fire(fault);
                    int at = (int)Math.Max(0, fault.Offset - position); // a follow-up fault may lie in a buffer already sent
                    switch (fault.Kind)
                    {
                        case ProxyFaultKind.BitFlip:
                            buffer[at] ^= (byte)(1 << fault.Bit);
                            (fault, fired) = Later(fault);
                            break;
                        case ProxyFaultKind.Stall:
                            await to.SendAsync(buffer.AsMemory(0, at), SocketFlags.None, connection.Token);
                            await Task.Delay(fault.Stall, connection.Token);
                            await to.SendAsync(buffer.AsMemory(at, read - at), SocketFlags.None, connection.Token);
                            position += read;
                            (fault, fired) = Later(fault);
                            continue;
                        case ProxyFaultKind.Truncate:
                            await to.SendAsync(buffer.AsMemory(0, at), SocketFlags.None, connection.Token);
                            Close(from, to, abort: false, connection);
                            return;
                        case ProxyFaultKind.Reset:
                            await to.SendAsync(buffer.AsMemory(0, at), SocketFlags.None, connection.Token);
                            Close(from, to, abort: true, connection);
                            return;
                    }
                }
                await to.SendAsync(buffer.AsMemory(0, sendCount), SocketFlags.None, connection.Token);
                position += read;
                Interlocked.Add(ref _bytes, read);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The other direction failed or the client gave up: end this one too.
            await connection.CancelAsync();
        }
    }

    // A connection that survived a fault (kept-alive HTTP carries a whole backup) gets another one further on.
    private (ProxyFault, bool Fired) Later(ProxyFault survived)
    {
        var next = NextFault(rate: 1);
        return next.Kind == ProxyFaultKind.None ? (next, true) : (next with { Upstream = survived.Upstream, Offset = survived.Offset + 1 + next.Offset }, false);
    }

    private void Fire(ProxyFault fault)
    {
        _fired.Enqueue(fault.ToString());
        FaultTally.CountProxy();
    }

    private static void Close(Socket from, Socket to, bool abort, CancellationTokenSource connection)
    {
        foreach (var socket in new[] { from, to })
        {
            try
            {
                if (abort) socket.LingerState = new LingerOption(true, 0); // close sends RST
                else socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
            socket.Close();
        }
        connection.Cancel();
    }

    // A match cut by a read boundary is missed; the servers' small replies (Keystone's catalog) come in one read.
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
