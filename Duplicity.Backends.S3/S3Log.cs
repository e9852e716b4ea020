using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.S3;

/// <summary>The S3 backend's log messages (ids in <see cref="DuplicityEventIds"/>, 5100s). Never a key, secret or signed URL.</summary>
internal static partial class S3Log
{
    /// <param name="logger">The logger.</param>
    /// <param name="bucket">The bucket.</param>
    /// <param name="endpoint">The service URL, or the AWS region the SDK resolves the endpoint from.</param>
    /// <param name="pathStyle">Whether the bucket goes in the path rather than the host name.</param>
    /// <param name="hostHandler">Whether requests go through the host's HTTP handler.</param>
    [LoggerMessage(EventId = DuplicityEventIds.S3ClientCreated, Level = LogLevel.Debug,
        Message = "S3 client for bucket {Bucket} at {Endpoint} (path-style addressing {PathStyle}, host HTTP handler {HostHandler})")]
    public static partial void ClientCreated(ILogger logger, string bucket, string endpoint, bool pathStyle, bool hostHandler);

    /// <param name="logger">The logger.</param>
    /// <param name="file">The file uploaded.</param>
    /// <param name="bucket">The bucket.</param>
    /// <param name="partSize">The size of every part but the last, in bytes.</param>
    [LoggerMessage(EventId = DuplicityEventIds.S3MultipartStarted, Level = LogLevel.Debug, Message = "Multipart upload of {File} to bucket {Bucket} started, parts of {PartSize} bytes")]
    public static partial void MultipartStarted(ILogger logger, string file, string bucket, int partSize);

    /// <param name="logger">The logger.</param>
    /// <param name="file">The file uploaded.</param>
    /// <param name="parts">How many parts the object was assembled from.</param>
    [LoggerMessage(EventId = DuplicityEventIds.S3MultipartCompleted, Level = LogLevel.Debug, Message = "Multipart upload of {File} completed in {Parts} parts")]
    public static partial void MultipartCompleted(ILogger logger, string file, int parts);

    /// <param name="logger">The logger.</param>
    /// <param name="file">The file whose upload failed.</param>
    /// <param name="parts">How many parts had been started.</param>
    [LoggerMessage(EventId = DuplicityEventIds.S3MultipartAborted, Level = LogLevel.Debug, Message = "Multipart upload of {File} failed after {Parts} parts and is aborted")]
    public static partial void MultipartAborted(ILogger logger, string file, int parts);

    /// <param name="logger">The logger.</param>
    /// <param name="bucket">The bucket.</param>
    [LoggerMessage(EventId = DuplicityEventIds.S3BatchDeleteRefused, Level = LogLevel.Debug, Message = "The server refuses batch deletes in bucket {Bucket}; deleting one object at a time")]
    public static partial void BatchDeleteRefused(ILogger logger, string bucket);
}
