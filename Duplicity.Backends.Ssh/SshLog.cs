using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Ssh;

/// <summary>The SFTP backend's log messages (ids in <see cref="DuplicityEventIds"/>, 5300s). Never a password or key.</summary>
internal static partial class SshLog
{
    /// <param name="logger">The logger.</param>
    /// <param name="host">The server's host name or address.</param>
    /// <param name="port">The server's port.</param>
    /// <param name="user">The login name.</param>
    [LoggerMessage(EventId = DuplicityEventIds.SshConnecting, Level = LogLevel.Debug, Message = "Connecting to SSH server {Host}:{Port} as {User}")]
    public static partial void Connecting(ILogger logger, string host, int port, string user);

    /// <param name="logger">The logger.</param>
    /// <param name="host">The server's host name or address.</param>
    /// <param name="port">The server's port.</param>
    /// <param name="hostKey">The host key's type and SHA-256 fingerprint, as checked against known_hosts.</param>
    [LoggerMessage(EventId = DuplicityEventIds.SshConnected, Level = LogLevel.Debug, Message = "Connected to SSH server {Host}:{Port}, host key {HostKey}")]
    public static partial void Connected(ILogger logger, string host, int port, string hostKey);

    /// <param name="logger">The logger.</param>
    /// <param name="host">The server's host name or address.</param>
    /// <param name="port">The server's port.</param>
    [LoggerMessage(EventId = DuplicityEventIds.SshReconnecting, Level = LogLevel.Debug, Message = "The SSH connection to {Host}:{Port} was lost; reconnecting")]
    public static partial void Reconnecting(ILogger logger, string host, int port);

    /// <param name="logger">The logger.</param>
    /// <param name="folder">The folder created on the server.</param>
    [LoggerMessage(EventId = DuplicityEventIds.SshFolderCreated, Level = LogLevel.Debug, Message = "Created the remote folder {Folder}")]
    public static partial void FolderCreated(ILogger logger, string folder);
}
