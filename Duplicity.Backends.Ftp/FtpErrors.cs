using System.Security.Authentication;

namespace Duplicity.Backends.Ftp;

/// <summary>Turns FTP replies and connection failures into <see cref="BackendException"/>s. Messages name the
/// command (never its argument when that is a password) and the server's text, never a password.</summary>
internal static class FtpErrors
{
    /// <summary>The kind of failure a reply code means.</summary>
    /// <param name="code">The reply code.</param>
    /// <param name="missingMeansNotFound">Whether 550 ("file unavailable") means the file is missing (reads,
    /// sizes, folders) rather than an action refused (stores, renames, where it usually means no permission).</param>
    public static BackendErrorKind KindOf(int code, bool missingMeansNotFound = true) => code switch
    {
        530 or 532 or 331 or 332 => BackendErrorKind.PermissionDenied,
        452 or 552 => BackendErrorKind.NoSpace,
        550 => missingMeansNotFound ? BackendErrorKind.NotFound : BackendErrorKind.PermissionDenied,
        553 => BackendErrorKind.PermissionDenied,
        // 4xx: "transient negative completion": the same command may succeed later (RFC 959 §4.2.1).
        >= 400 and < 500 => BackendErrorKind.Transient,
        _ => BackendErrorKind.Permanent,
    };

    /// <summary>An error for a reply the server gave to <paramref name="command"/>.</summary>
    public static BackendException FromReply(FtpReply reply, string command, string? file, string displayName, bool missingMeansNotFound = true)
    {
        var what = file is null ? command : $"{command} of '{file}'";
        return new BackendException(KindOf(reply.Code, missingMeansNotFound),
            $"The FTP server at {displayName} refused {what}: {reply}");
    }

    /// <summary>An error for a failure of the connection itself (refused, dropped, timed out, TLS refused).</summary>
    public static BackendException FromConnection(Exception e, string displayName) => e switch
    {
        BackendException b => b,
        AuthenticationException => new BackendException(BackendErrorKind.Permanent,
            $"The TLS connection to {displayName} failed (certificate refused or no common protocol): {e.Message}", e),
        TimeoutException => new BackendException(BackendErrorKind.Transient, $"The FTP server at {displayName} did not answer in time: {e.Message}", e),
        FormatException => new BackendException(BackendErrorKind.Transient, $"The FTP server at {displayName} sent a malformed reply: {e.Message}", e),
        _ => new BackendException(BackendErrorKind.Transient, $"The connection to the FTP server at {displayName} failed: {e.Message}", e),
    };

    /// <summary>Whether an exception is a connection failure <see cref="FromConnection"/> translates.</summary>
    public static bool IsConnectionFailure(Exception e) =>
        e is IOException or System.Net.Sockets.SocketException or AuthenticationException or TimeoutException or FormatException or ObjectDisposedException;
}
