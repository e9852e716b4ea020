using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Duplicity.Backends.S3;

/// <summary>Turns SDK and network failures into <see cref="BackendException"/>s of the right kind, without secrets.</summary>
internal static class S3ErrorTranslator
{
    /// <summary>
    /// The backend error for <paramref name="error"/>, or null when it must propagate unchanged
    /// (cancellation requested by the caller, argument errors, already translated errors).
    /// </summary>
    public static BackendException? Translate(Exception error, string what, string bucket, string displayName, CancellationToken cancellationToken)
    {
        if (error is BackendException or ArgumentException)
            return null;
        if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
            return null;

        var where = $"{what} at {displayName}";
        switch (error)
        {
            case AmazonServiceException service when service.InnerException is System.Xml.XmlException damaged:
                // The SDK could not read the answer (an unmarshalling failure): damaged in transit, worth asking again.
                return new BackendException(BackendErrorKind.Transient, $"S3 {where} failed: the answer is not well-formed XML ({BackendUrl.Redact(damaged.Message)}).", error);
            case AmazonServiceException service when service.InnerException is FormatException or OverflowException:
                return new BackendException(BackendErrorKind.Transient, $"S3 {where} failed: the answer holds a value that cannot be read ({BackendUrl.Redact(service.InnerException.Message)}).", error);
            case AmazonServiceException service when service.ErrorCode == "NoSuchBucket":
                return new BackendException(BackendErrorKind.NotFound, $"S3 bucket \"{bucket}\" does not exist ({where}).", error);
            case AmazonServiceException service:
                var kind = KindOf(service);
                return new BackendException(kind, $"S3 {where} failed: {Describe(service)}", error);
            case OperationCanceledException:   // an SDK or HttpClient timeout, not the caller's token
            case TimeoutException:
                return new BackendException(BackendErrorKind.Transient, $"S3 {where} timed out.", error);
            case HttpRequestException or IOException or SocketException or WebException:
                return new BackendException(BackendErrorKind.Transient, $"S3 {where} failed: {BackendUrl.Redact(error.Message)}", error);
            case FormatException or OverflowException:
                // A value in the answer the SDK could not parse (a listing's date altered in transit, say): asking again may succeed.
                return new BackendException(BackendErrorKind.Transient, $"S3 {where} failed: the answer holds a value that cannot be read ({BackendUrl.Redact(error.Message)}).", error);
            case System.Xml.XmlException:
                // A response body damaged on the way (a listing cut or altered in transit): asking again may succeed.
                return new BackendException(BackendErrorKind.Transient, $"S3 {where} failed: the answer is not well-formed XML ({BackendUrl.Redact(error.Message)}).", error);
            case AmazonClientException client when client.InnerException is { } inner && Translate(inner, what, bucket, displayName, cancellationToken) is { } wrapped:
                return wrapped;
            case AmazonClientException client:
                // Configuration problems: no credentials found, bad region, ...
                return new BackendException(BackendErrorKind.Permanent, $"S3 {where} failed: {BackendUrl.Redact(client.Message)}", error);
            default:
                return null;
        }
    }

    private static BackendErrorKind KindOf(AmazonServiceException service)
    {
        switch (service.ErrorCode)
        {
            case "NoSuchKey" or "NotFound" or "NoSuchUpload":
                return BackendErrorKind.NotFound;
            case "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken"
                or "AllAccessDisabled" or "AccountProblem":
                return BackendErrorKind.PermissionDenied;
            case "SlowDown" or "RequestTimeout" or "InternalError" or "ServiceUnavailable" or "RequestTimeTooSkewed"
                or "BadDigest" or "IncompleteBody" or "Throttling" or "ThrottlingException":
                return BackendErrorKind.Transient;
            case "QuotaExceeded" or "TooManyBuckets" or "EntityTooLarge":
                return BackendErrorKind.NoSpace;
        }
        int status = (int)service.StatusCode;
        return status switch
        {
            404 => BackendErrorKind.NotFound,
            401 or 403 => BackendErrorKind.PermissionDenied,
            408 or 429 => BackendErrorKind.Transient,
            >= 500 => BackendErrorKind.Transient,
            0 => BackendErrorKind.Transient,   // no HTTP answer at all
            _ => BackendErrorKind.Permanent,
        };
    }

    private static string Describe(AmazonServiceException service)
    {
        var code = string.IsNullOrEmpty(service.ErrorCode) ? "" : service.ErrorCode + ": ";
        return $"{code}{BackendUrl.Redact(service.Message)} (HTTP {(int)service.StatusCode})";
    }
}
