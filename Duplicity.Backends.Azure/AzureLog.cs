using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Azure;

/// <summary>The Azure backend's log messages (ids in <see cref="DuplicityEventIds"/>, 5400s). Never a key, connection string or SAS.</summary>
internal static partial class AzureLog
{
    /// <param name="logger">The logger.</param>
    /// <param name="container">The container.</param>
    /// <param name="endpoint">The blob service URL, without any query (a SAS would be there).</param>
    /// <param name="credential">How the client authenticates: connection string, shared key or SAS (the name, never the value).</param>
    [LoggerMessage(EventId = DuplicityEventIds.AzureClientCreated, Level = LogLevel.Debug,
        Message = "Azure client for container {Container} at {Endpoint} ({Credential})")]
    public static partial void ClientCreated(ILogger logger, string container, string endpoint, string credential);

    /// <param name="logger">The logger.</param>
    /// <param name="container">The container created.</param>
    [LoggerMessage(EventId = DuplicityEventIds.AzureContainerCreated, Level = LogLevel.Debug, Message = "Created the Azure container {Container}")]
    public static partial void ContainerCreated(ILogger logger, string container);

    /// <param name="logger">The logger.</param>
    /// <param name="file">The file uploaded.</param>
    /// <param name="container">The container.</param>
    /// <param name="blockSize">The size of every block but the last, in bytes.</param>
    [LoggerMessage(EventId = DuplicityEventIds.AzureBlockUploadStarted, Level = LogLevel.Debug,
        Message = "Uploading {File} to container {Container} in blocks of {BlockSize} bytes")]
    public static partial void BlockUploadStarted(ILogger logger, string file, string container, long blockSize);

    /// <param name="logger">The logger.</param>
    /// <param name="file">The file uploaded.</param>
    /// <param name="blocks">How many blocks the blob was committed from.</param>
    [LoggerMessage(EventId = DuplicityEventIds.AzureBlockUploadCommitted, Level = LogLevel.Debug, Message = "Committed {File} from {Blocks} blocks")]
    public static partial void BlockUploadCommitted(ILogger logger, string file, int blocks);

    /// <param name="logger">The logger.</param>
    /// <param name="file">The file whose upload failed.</param>
    /// <param name="blocks">How many blocks had been started.</param>
    [LoggerMessage(EventId = DuplicityEventIds.AzureBlockUploadAbandoned, Level = LogLevel.Debug,
        Message = "The upload of {File} failed after {Blocks} blocks; they are never committed")]
    public static partial void BlockUploadAbandoned(ILogger logger, string file, int blocks);
}
