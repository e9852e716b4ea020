using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Swift;

/// <summary>The Swift backend's log messages (ids in <see cref="DuplicityEventIds"/>, 5200s). Never a password or token.</summary>
internal static partial class SwiftLog
{
    /// <param name="logger">The logger.</param>
    /// <param name="authUrl">The identity service's URL, any password in it redacted.</param>
    /// <param name="version">1 (tempauth), 2 (Keystone v2.0) or 3 (Keystone v3).</param>
    /// <param name="user">The user name or id.</param>
    [LoggerMessage(EventId = DuplicityEventIds.SwiftAuthenticating, Level = LogLevel.Debug, Message = "Authenticating to {AuthUrl} (auth version {Version}) as {User}")]
    public static partial void Authenticating(ILogger logger, string authUrl, int version, string? user);

    /// <param name="logger">The logger.</param>
    /// <param name="storageUrl">The object-store endpoint the login returned.</param>
    [LoggerMessage(EventId = DuplicityEventIds.SwiftAuthenticated, Level = LogLevel.Debug, Message = "Authenticated; storage endpoint {StorageUrl}")]
    public static partial void Authenticated(ILogger logger, Uri storageUrl);

    /// <param name="logger">The logger.</param>
    /// <param name="storageUrl">The pre-authenticated storage URL.</param>
    [LoggerMessage(EventId = DuplicityEventIds.SwiftPreAuthenticated, Level = LogLevel.Debug, Message = "Using the pre-authenticated storage endpoint {StorageUrl}")]
    public static partial void PreAuthenticated(ILogger logger, Uri storageUrl);

    /// <param name="logger">The logger.</param>
    /// <param name="operation">The request Swift refused.</param>
    [LoggerMessage(EventId = DuplicityEventIds.SwiftTokenRefused, Level = LogLevel.Debug, Message = "Swift refused the token for the {Operation}; authenticating again")]
    public static partial void TokenRefused(ILogger logger, string operation);

    /// <param name="logger">The logger.</param>
    /// <param name="container">The container created.</param>
    /// <param name="policy">The storage policy asked for; null for the account's default.</param>
    [LoggerMessage(EventId = DuplicityEventIds.SwiftContainerCreated, Level = LogLevel.Debug, Message = "Created the container {Container} (storage policy {Policy})")]
    public static partial void ContainerCreated(ILogger logger, string container, string? policy);

    /// <param name="logger">The logger.</param>
    /// <param name="file">The file uploaded.</param>
    /// <param name="segmentSize">The largest segment, in bytes.</param>
    [LoggerMessage(EventId = DuplicityEventIds.SwiftLargeObjectStarted, Level = LogLevel.Debug, Message = "Uploading {File} as a Static Large Object in segments of {SegmentSize} bytes")]
    public static partial void LargeObjectStarted(ILogger logger, string file, long segmentSize);

    /// <param name="logger">The logger.</param>
    /// <param name="file">The file uploaded.</param>
    /// <param name="segments">How many segments the manifest lists.</param>
    [LoggerMessage(EventId = DuplicityEventIds.SwiftLargeObjectCompleted, Level = LogLevel.Debug, Message = "Stored {File} as a Static Large Object of {Segments} segments")]
    public static partial void LargeObjectCompleted(ILogger logger, string file, int segments);

    /// <param name="logger">The logger.</param>
    /// <param name="file">The file whose upload failed.</param>
    /// <param name="segments">How many segments were stored and are now deleted.</param>
    [LoggerMessage(EventId = DuplicityEventIds.SwiftLargeObjectAborted, Level = LogLevel.Debug, Message = "The upload of {File} failed; deleting its {Segments} stored segments")]
    public static partial void LargeObjectAborted(ILogger logger, string file, int segments);
}
