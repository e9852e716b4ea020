using System.Net.Sockets;
using Renci.SshNet.Common;

namespace Duplicity.Backends.Ssh;

/// <summary>Turns SSH.NET and socket errors into <see cref="BackendException"/>s of the right kind.</summary>
internal static class SshErrorTranslator
{
    /// <summary>Whether the exception comes from the connection or the server (and so should be translated).</summary>
    public static bool IsConnectionError(Exception exception) =>
        exception is SshException or SocketException or TimeoutException or IOException or ObjectDisposedException
        || IsSessionClosed(exception);

    /// <summary>
    /// SSH.NET's word for a channel that closed under an open file: its file stream's read-ahead sends the
    /// next request and meets "The session is not open" as InvalidOperationException. A lost connection
    /// like any other (seen in CI through the fault proxy, after a MAC error on a download sharing the
    /// session); only SSH.NET's own are meant, so a programming error of ours still surfaces as one.
    /// </summary>
    private static bool IsSessionClosed(Exception exception) =>
        exception is InvalidOperationException { Source: "Renci.SshNet" };

    /// <summary>
    /// Whether the exception ends a connection attempt: a connection error, or SSH.NET choking on a garbled
    /// handshake (a flipped or cut packet makes it throw ArgumentOutOfRangeException and the like, found by
    /// the fault proxy, seed 101). Only for connect: elsewhere these would be programming errors.
    /// </summary>
    public static bool IsConnectError(Exception exception) =>
        IsConnectionError(exception) || exception is ArgumentException or InvalidOperationException or FormatException
            or IndexOutOfRangeException or OverflowException or NullReferenceException;

    public static BackendErrorKind KindOf(Exception exception) => exception switch
    {
        SftpPathNotFoundException => BackendErrorKind.NotFound,
        SftpPermissionDeniedException or SshAuthenticationException or SshPassPhraseNullOrEmptyException => BackendErrorKind.PermissionDenied,
        // Dropped connections, timeouts and unexplained server failures may pass on a fresh connection.
        _ => BackendErrorKind.Transient,
    };

    public static BackendException Translate(Exception exception, string action, string displayName) =>
        new(KindOf(exception), BackendUrl.Redact($"Could not {action} on {displayName}: {exception.Message}"), exception);
}
