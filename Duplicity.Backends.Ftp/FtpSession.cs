using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Ftp;

/// <summary>
/// One logged-in control connection whose working folder is the backend's folder. Runs one command
/// sequence at a time; the backend keeps a few in a pool for concurrent operations.
/// </summary>
internal sealed class FtpSession : IAsyncDisposable
{
    private readonly FtpControlConnection _control;
    private readonly FtpLocation _location;
    private readonly FtpBackendOptions _options;
    private readonly SslClientAuthenticationOptions? _tls;
    private readonly ILogger _logger;
    private readonly FtpPassiveState _passive;
    private readonly HashSet<string> _features = new(StringComparer.OrdinalIgnoreCase);

    private FtpSession(FtpControlConnection control, FtpLocation location, FtpBackendOptions options, SslClientAuthenticationOptions? tls,
        ILogger logger, FtpPassiveState passive)
    {
        _tls = tls;
        _control = control;
        _location = location;
        _options = options;
        _logger = logger;
        _passive = passive;
    }

    public bool IsBroken => _control.IsBroken;

    /// <summary>When the session last finished an operation (for the pool's staleness check).</summary>
    public long IdleSince { get; set; }

    public bool HasMlsd => _features.Contains("MLSD");

    private string Display => _location.DisplayName;

    /// <summary>Connects, secures, logs in, reads the features and enters (creating if needed) the folder.</summary>
    public static async Task<FtpSession> OpenAsync(FtpLocation location, FtpBackendOptions options, SslClientAuthenticationOptions? tls,
        ILogger logger, TimeProvider time, FtpPassiveState passive, CancellationToken cancellationToken)
    {
        FtpLog.Connecting(logger, location.Host, location.Port, location.Security, location.UserName);
        var control = await FtpControlConnection.ConnectAsync(location.Host, location.Port, options.Timeout, time, cancellationToken)
            .ConfigureAwait(false);
        var session = new FtpSession(control, location, options, tls, logger, passive);
        try
        {
            await session.LoginAsync(cancellationToken).ConfigureAwait(false);
            await session.EnterFolderAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task LoginAsync(CancellationToken cancellationToken)
    {
        if (_location.Security == FtpSecurity.Implicit)
            await _control.StartTlsAsync(_tls!, cancellationToken).ConfigureAwait(false);
        var greeting = await _control.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        // 120: "service ready in nnn minutes"; the 220 follows.
        while (greeting.Code == 120)
            greeting = await _control.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        Expect(greeting, 220, "the connection", null);

        if (_location.Security == FtpSecurity.Explicit)
        {
            Expect(await CommandAsync("AUTH TLS", cancellationToken).ConfigureAwait(false), 234, "AUTH TLS", null, missingMeansNotFound: false);
            await _control.StartTlsAsync(_tls!, cancellationToken).ConfigureAwait(false);
        }

        var user = await CommandAsync("USER " + _location.UserName, cancellationToken).ConfigureAwait(false);
        if (user.Code == 331)
        {
            if (_location.Password is null)
                throw new BackendException(BackendErrorKind.PermissionDenied,
                    $"The FTP server at {Display} wants a password for {_location.UserName}: give it in the URL or in FTP_PASSWORD.");
            // The reply is kept, the command never shown: it carries the password.
            user = await CommandAsync("PASS " + _location.Password, cancellationToken).ConfigureAwait(false);
            if (user.Code is 530 or 430)
                throw new BackendException(BackendErrorKind.PermissionDenied, $"The FTP server at {Display} refused the login of {_location.UserName}: {user}");
        }
        if (user.Code == 332)
            throw new BackendException(BackendErrorKind.PermissionDenied, $"The FTP server at {Display} wants an account (ACCT), which is not supported: {user}");
        if (!user.IsSuccess)
            throw FtpErrors.FromReply(user, "the login of " + _location.UserName, null, Display, missingMeansNotFound: false);

        if (_control.IsTls)
        {
            // RFC 4217: PBSZ 0 then PROT P puts TLS on every data connection too.
            Expect(await CommandAsync("PBSZ 0", cancellationToken).ConfigureAwait(false), 200, "PBSZ", null, missingMeansNotFound: false);
            Expect(await CommandAsync("PROT P", cancellationToken).ConfigureAwait(false), 200, "PROT P", null, missingMeansNotFound: false);
        }

        var feat = await CommandAsync("FEAT", cancellationToken).ConfigureAwait(false);
        if (feat.IsSuccess)
        {
            foreach (var line in feat.Lines.Skip(1))
            {
                var feature = line.Trim().Split(' ', 2)[0];
                if (feature.Length > 0)
                    _features.Add(feature);
            }
        }
        if (_features.Contains("UTF8"))
            await CommandAsync("OPTS UTF8 ON", cancellationToken).ConfigureAwait(false);
        Expect(await CommandAsync("TYPE I", cancellationToken).ConfigureAwait(false), 200, "TYPE I", null, missingMeansNotFound: false);
        FtpLog.Connected(_logger, _location.Host, _location.Port, _control.TlsProtocol, HasMlsd ? "MLSD" : "NLST");
    }

    /// <summary>Changes into the backend's folder, one level at a time, creating each missing level (MKD).</summary>
    private async Task EnterFolderAsync(CancellationToken cancellationToken)
    {
        if (_location.AbsoluteFolder)
            Expect(await CommandAsync("CWD /", cancellationToken).ConfigureAwait(false), 250, "CWD", "/");
        var path = _location.AbsoluteFolder ? "" : "~";
        foreach (var level in _location.Folder)
        {
            path += "/" + level;
            var cwd = await CommandAsync("CWD " + level, cancellationToken).ConfigureAwait(false);
            if (cwd.IsSuccess)
                continue;
            if (cwd.Code != 550)
                throw FtpErrors.FromReply(cwd, "CWD", path, Display);
            var mkd = await CommandAsync("MKD " + level, cancellationToken).ConfigureAwait(false);
            if (mkd.IsSuccess)
                FtpLog.FolderCreated(_logger, path);
            // A 550 here may be another session creating it at the same time: the CWD decides.
            else if (mkd.Code != 550)
                throw FtpErrors.FromReply(mkd, "MKD", path, Display, missingMeansNotFound: false);
            Expect(await CommandAsync("CWD " + level, cancellationToken).ConfigureAwait(false), 250, "CWD", path, missingMeansNotFound: false);
        }
    }

    /// <summary>Checks that an idle session still answers.</summary>
    public async Task<bool> IsAliveAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await CommandAsync("NOOP", cancellationToken).ConfigureAwait(false)).IsSuccess;
        }
        catch (Exception e) when (FtpErrors.IsConnectionFailure(e))
        {
            return false;
        }
    }

    /// <summary>Lists the folder's files with their sizes: MLSD when offered, else NLST and a SIZE per name.</summary>
    public async Task<List<BackendFileInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var result = new List<BackendFileInfo>();
        if (HasMlsd)
        {
            var listing = await ReadListingAsync("MLSD", cancellationToken).ConfigureAwait(false);
            foreach (var line in FtpListingParser.Lines(listing))
            {
                if (FtpListingParser.ParseMlsd(line) is { Type: "file", Size: { } size } entry && !UploadTempName.IsTemporary(entry.Name))
                    result.Add(new BackendFileInfo(entry.Name, size));
            }
            return result;
        }
        var names = await ReadListingAsync("NLST", cancellationToken).ConfigureAwait(false);
        foreach (var line in FtpListingParser.Lines(names))
        {
            if (FtpListingParser.ParseNlst(line) is not { } name || UploadTempName.IsTemporary(name))
                continue;
            // Folders (and files deleted since the listing) have no size: they are not files of this backend.
            if (await SizeAsync(name, cancellationToken).ConfigureAwait(false) is { } size)
                result.Add(new BackendFileInfo(name, size));
        }
        return result;
    }

    private async Task<byte[]> ReadListingAsync(string command, CancellationToken cancellationToken)
    {
        var (channel, reply) = await OpenDataAsync(command, cancellationToken).ConfigureAwait(false);
        if (channel is null)
        {
            // Some servers answer NLST in an empty folder with 450/550 "no files".
            if (reply.Code is 450 or 550 && command == "NLST")
                return [];
            throw FtpErrors.FromReply(reply, command, null, Display);
        }
        byte[] listing;
        await using (channel.ConfigureAwait(false))
            listing = await channel.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await ExpectTransferCompleteAsync(command, null, cancellationToken).ConfigureAwait(false);
        return listing;
    }

    /// <summary>The size of a file (SIZE, RFC 3659), or null when there is no such file.</summary>
    public async Task<long?> SizeAsync(string name, CancellationToken cancellationToken)
    {
        var reply = await CommandAsync("SIZE " + name, cancellationToken).ConfigureAwait(false);
        if (reply.Code == 550)
            return null;
        Expect(reply, 213, "SIZE", name);
        return long.TryParse(reply.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? size
            : throw new BackendException(BackendErrorKind.Permanent, $"The FTP server at {Display} sent a malformed SIZE reply for '{name}': {reply}");
    }

    /// <summary>Stores <paramref name="content"/> under <paramref name="name"/> (STOR) and waits for the server's 226.</summary>
    public async Task StoreAsync(string name, Stream content, CancellationToken cancellationToken)
    {
        var (channel, reply) = await OpenDataAsync("STOR " + name, cancellationToken).ConfigureAwait(false);
        if (channel is null)
            throw FtpErrors.FromReply(reply, "STOR", name, Display, missingMeansNotFound: false);
        await using (channel.ConfigureAwait(false))
        {
            var buffer = new byte[128 * 1024];
            while (true)
            {
                int read;
                try
                {
                    read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
                {
                    throw new SourceFailure(e);
                }
                if (read == 0)
                    break;
                await channel.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
            await channel.CompleteUploadAsync(cancellationToken).ConfigureAwait(false);
        }
        await ExpectTransferCompleteAsync("STOR", name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/> (RNFR, RNTO), replacing an existing file.</summary>
    public async Task RenameAsync(string from, string to, CancellationToken cancellationToken)
    {
        var reply = await RenameOnceAsync(from, to, cancellationToken).ConfigureAwait(false);
        if (reply.IsSuccess)
            return;
        // Servers on file systems without an atomic replace (IIS on Windows) refuse RNTO onto an existing file:
        // the old file goes first. The short window without either is the best such a server allows.
        if (reply.Code is 550 or 553 && await SizeAsync(to, cancellationToken).ConfigureAwait(false) is not null)
        {
            var delete = await CommandAsync("DELE " + to, cancellationToken).ConfigureAwait(false);
            if (delete.IsSuccess)
            {
                FtpLog.ReplacedByDelete(_logger, to);
                reply = await RenameOnceAsync(from, to, cancellationToken).ConfigureAwait(false);
                if (reply.IsSuccess)
                    return;
            }
        }
        throw FtpErrors.FromReply(reply, "the rename to", to, Display, missingMeansNotFound: false);
    }

    private async Task<FtpReply> RenameOnceAsync(string from, string to, CancellationToken cancellationToken)
    {
        var rnfr = await CommandAsync("RNFR " + from, cancellationToken).ConfigureAwait(false);
        if (rnfr.Code != 350)
            return rnfr;
        return await CommandAsync("RNTO " + to, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a file (DELE); false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var reply = await CommandAsync("DELE " + name, cancellationToken).ConfigureAwait(false);
        if (reply.IsSuccess)
            return true;
        if (reply.Code == 550 && await SizeAsync(name, cancellationToken).ConfigureAwait(false) is null)
            return false;
        throw FtpErrors.FromReply(reply, "DELE", name, Display, missingMeansNotFound: false);
    }

    /// <summary>Starts a download (REST when <paramref name="offset"/> is above 0, then RETR); the channel carries the bytes.</summary>
    public async Task<FtpDataChannel?> RetrieveAsync(string name, long offset, CancellationToken cancellationToken)
    {
        if (offset > 0)
        {
            var size = await SizeAsync(name, cancellationToken).ConfigureAwait(false)
                       ?? throw new BackendException(BackendErrorKind.NotFound, $"'{name}' does not exist at {Display}.");
            // At or past the end: nothing to read (and some servers refuse a REST there).
            if (offset >= size)
                return null;
            var rest = await CommandAsync("REST " + offset.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            Expect(rest, 350, "REST", name, missingMeansNotFound: false);
        }
        var (channel, reply) = await OpenDataAsync("RETR " + name, cancellationToken).ConfigureAwait(false);
        if (channel is null)
        {
            // vsftpd answers 550 "Failed to open file." both for a missing file and a folder.
            throw reply.Code == 550
                ? new BackendException(BackendErrorKind.NotFound, $"'{name}' does not exist at {Display}: {reply}")
                : FtpErrors.FromReply(reply, "RETR", name, Display);
        }
        return channel;
    }

    /// <summary>Reads the reply that ends a transfer: 226 or 250, else the transfer failed.</summary>
    public async Task ExpectTransferCompleteAsync(string command, string? name, CancellationToken cancellationToken)
    {
        var reply = await _control.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        if (reply.Code is not (226 or 250))
            throw FtpErrors.FromReply(reply, command, name, Display, missingMeansNotFound: false);
    }

    /// <summary>
    /// Opens a data connection and sends <paramref name="command"/> on it. Returns the channel once the server
    /// answered 1xx (and TLS is up), or no channel and the refusing reply.
    /// </summary>
    private async Task<(FtpDataChannel? Channel, FtpReply Reply)> OpenDataAsync(string command, CancellationToken cancellationToken)
    {
        if (!_options.Passive)
            return await OpenActiveDataAsync(command, cancellationToken).ConfigureAwait(false);

        var port = await PassivePortAsync(cancellationToken).ConfigureAwait(false);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            var endpoint = new IPEndPoint(_control.RemoteEndPoint.Address, port);
            await TimeoutGuard.RunAsync(ct => socket.ConnectAsync(endpoint, ct), _options.Timeout, _control.Time, socket.Dispose,
                "opening the data connection", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var channel = new FtpDataChannel(socket, _options.Timeout, _control.Time);
        try
        {
            var reply = await CommandAsync(command, cancellationToken).ConfigureAwait(false);
            if (!reply.IsPreliminary)
            {
                await channel.DisposeAsync().ConfigureAwait(false);
                return (null, reply);
            }
            if (_tls is not null)
                await channel.StartTlsAsync(_tls, cancellationToken).ConfigureAwait(false);
            return (channel, reply);
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>EPSV (RFC 2428), or PASV once the server refused EPSV (remembered for the backend's other sessions).</summary>
    private async Task<int> PassivePortAsync(CancellationToken cancellationToken)
    {
        if (!_passive.EpsvRefused)
        {
            var epsv = await CommandAsync("EPSV", cancellationToken).ConfigureAwait(false);
            if (epsv.Code == 229)
            {
                return FtpListingParser.ParseEpsvPort(epsv.Text)
                       ?? throw new BackendException(BackendErrorKind.Permanent, $"The FTP server at {Display} sent a malformed EPSV reply: {epsv}");
            }
            if (epsv.Code is not (500 or 501 or 502 or 504 or 522))
                throw FtpErrors.FromReply(epsv, "EPSV", null, Display, missingMeansNotFound: false);
            _passive.EpsvRefused = true;
            FtpLog.PassiveFallback(_logger, epsv.Code, epsv.Text);
        }
        var pasv = await CommandAsync("PASV", cancellationToken).ConfigureAwait(false);
        if (pasv.Code != 227)
            throw FtpErrors.FromReply(pasv, "PASV", null, Display, missingMeansNotFound: false);
        return FtpListingParser.ParsePasvPort(pasv.Text)
               ?? throw new BackendException(BackendErrorKind.Permanent, $"The FTP server at {Display} sent a malformed PASV reply: {pasv}");
    }

    /// <summary>Active mode (<c>--ftp-regular</c>): listen, announce with EPRT (or PORT), accept the server's connection.</summary>
    private async Task<(FtpDataChannel? Channel, FtpReply Reply)> OpenActiveDataAsync(string command, CancellationToken cancellationToken)
    {
        var local = _control.LocalEndPoint.Address;
        if (local.IsIPv4MappedToIPv6)
            local = local.MapToIPv4();
        using var listener = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(local, 0));
        listener.Listen(1);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var family = local.AddressFamily == AddressFamily.InterNetworkV6 ? 2 : 1;
        var eprt = await CommandAsync($"EPRT |{family}|{local}|{port}|", cancellationToken).ConfigureAwait(false);
        if (!eprt.IsSuccess)
        {
            if (family != 1)
                throw FtpErrors.FromReply(eprt, "EPRT", null, Display, missingMeansNotFound: false);
            var bytes = local.GetAddressBytes();
            var portReply = await CommandAsync(
                string.Create(CultureInfo.InvariantCulture, $"PORT {bytes[0]},{bytes[1]},{bytes[2]},{bytes[3]},{port / 256},{port % 256}"),
                cancellationToken).ConfigureAwait(false);
            if (!portReply.IsSuccess)
                throw FtpErrors.FromReply(portReply, "PORT", null, Display, missingMeansNotFound: false);
        }
        var reply = await CommandAsync(command, cancellationToken).ConfigureAwait(false);
        if (!reply.IsPreliminary)
            return (null, reply);
        var socket = await TimeoutGuard.RunAsync(ct => listener.AcceptAsync(ct), _options.Timeout, _control.Time, listener.Dispose,
            "waiting for the server's data connection", cancellationToken).ConfigureAwait(false);
        socket.NoDelay = true;
        var channel = new FtpDataChannel(socket, _options.Timeout, _control.Time);
        try
        {
            if (_tls is not null)
                await channel.StartTlsAsync(_tls, cancellationToken).ConfigureAwait(false);
            return (channel, reply);
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private Task<FtpReply> CommandAsync(string command, CancellationToken cancellationToken) =>
        _control.CommandAsync(command, cancellationToken);

    private void Expect(FtpReply reply, int code, string command, string? file, bool missingMeansNotFound = true)
    {
        // Accept the whole class (e.g. 200 and 202 for "OPTS"; 250 and 200 for CWD on odd servers).
        if (reply.Code / 100 == code / 100)
            return;
        throw FtpErrors.FromReply(reply, command, file, Display, missingMeansNotFound);
    }

    public async Task QuitAsync()
    {
        if (_control.IsBroken)
            return;
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _control.SendAsync("QUIT", quick.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (FtpErrors.IsConnectionFailure(e) || e is OperationCanceledException)
        {
            // Closing anyway.
        }
    }

    public ValueTask DisposeAsync() => _control.DisposeAsync();
}

/// <summary>Whether the server refused EPSV, shared by a backend's sessions so only the first one asks.</summary>
internal sealed class FtpPassiveState
{
    public volatile bool EpsvRefused;
}

/// <summary>Carries the upload source's own exception through the FTP code, so it is not taken for a network failure.</summary>
internal sealed class SourceFailure(Exception inner) : Exception("The upload source failed.", inner);
