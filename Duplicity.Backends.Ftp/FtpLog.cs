using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Ftp;

/// <summary>The FTP backend's log messages (ids in <see cref="DuplicityEventIds"/>, 5400s). Never a password.</summary>
internal static partial class FtpLog
{
    /// <param name="logger">The logger.</param>
    /// <param name="host">The server's host name.</param>
    /// <param name="port">The control port.</param>
    /// <param name="security">None, Explicit (AUTH TLS) or Implicit TLS.</param>
    /// <param name="user">The user name logged in with.</param>
    [LoggerMessage(EventId = DuplicityEventIds.FtpConnecting, Level = LogLevel.Debug, Message = "Connecting to FTP server {Host}:{Port} (TLS: {Security}) as {User}")]
    public static partial void Connecting(ILogger logger, string host, int port, FtpSecurity security, string user);

    /// <param name="logger">The logger.</param>
    /// <param name="host">The server's host name.</param>
    /// <param name="port">The control port.</param>
    /// <param name="tlsProtocol">The TLS version of the control connection, or null without TLS.</param>
    /// <param name="listing">MLSD or NLST: how the backend lists this server's folder.</param>
    [LoggerMessage(EventId = DuplicityEventIds.FtpConnected, Level = LogLevel.Debug, Message = "Logged in to FTP server {Host}:{Port} (TLS protocol {TlsProtocol}); listing with {Listing}")]
    public static partial void Connected(ILogger logger, string host, int port, string? tlsProtocol, string listing);

    /// <param name="logger">The logger.</param>
    /// <param name="folder">The folder created.</param>
    [LoggerMessage(EventId = DuplicityEventIds.FtpFolderCreated, Level = LogLevel.Debug, Message = "Created the remote folder {Folder}")]
    public static partial void FolderCreated(ILogger logger, string folder);

    /// <param name="logger">The logger.</param>
    /// <param name="code">The code of the server's reply to EPSV.</param>
    /// <param name="reply">The text of that reply.</param>
    [LoggerMessage(EventId = DuplicityEventIds.FtpPassiveFallback, Level = LogLevel.Debug, Message = "The FTP server refused EPSV ({Code} {Reply}); using PASV")]
    public static partial void PassiveFallback(ILogger logger, int code, string reply);

    /// <param name="logger">The logger.</param>
    /// <param name="file">The file replaced.</param>
    [LoggerMessage(EventId = DuplicityEventIds.FtpReplacedByDelete, Level = LogLevel.Debug, Message = "The FTP server does not rename over an existing file; deleted {File} first")]
    public static partial void ReplacedByDelete(ILogger logger, string file);

    /// <param name="logger">The logger.</param>
    /// <param name="file">The temporary file left.</param>
    /// <param name="reason">Why it could not be deleted.</param>
    [LoggerMessage(EventId = DuplicityEventIds.FtpTemporaryFileLeft, Level = LogLevel.Warning, Message = "Could not delete the temporary upload {File}: {Reason}")]
    public static partial void TemporaryFileLeft(ILogger logger, string file, string reason);
}
