using System.Net;
using System.Net.Sockets;
using Azure;

namespace Duplicity.Backends.Azure;

/// <summary>
/// Turns Azure SDK and network failures into <see cref="BackendException"/>s of the right kind. The text
/// carries the service's error code and HTTP status only: the SDK's own message lists request and response
/// headers, which is more than a log line needs (it redacts signatures, but a host's proxy might not).
/// </summary>
internal static class AzureErrorTranslator
{
    /// <summary>
    /// The backend error for <paramref name="error"/>, or null when it must propagate unchanged
    /// (cancellation requested by the caller, argument errors, already translated errors).
    /// </summary>
    /// <param name="error">What the SDK threw.</param>
    /// <param name="what">The operation, e.g. "upload of f".</param>
    /// <param name="where">" at azure://container", or empty when <paramref name="what"/> names the place.</param>
    /// <param name="cancellationToken">The caller's token (its cancellation is not a failure).</param>
    public static BackendException? Translate(Exception error, string what, string where, CancellationToken cancellationToken)
    {
        if (error is BackendException or ArgumentException)
            return null;
        if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
            return null;

        switch (error)
        {
            case RequestFailedException { ErrorCode: "ContainerNotFound" }:
                return new BackendException(BackendErrorKind.NotFound, $"Azure {what}{where} failed: the container does not exist.", error);
            case RequestFailedException failed:
                return new BackendException(KindOf(failed), $"Azure {what}{where} failed: {Describe(failed)}", error);
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                // The SDK's retry policy gives up with every attempt's error: the last one says most.
                return Translate(aggregate.InnerExceptions[^1], what, where, cancellationToken)
                    ?? new BackendException(BackendErrorKind.Transient, $"Azure {what}{where} failed after retries.", error);
            case OperationCanceledException:   // the SDK's network timeout, not the caller's token
            case TimeoutException:
                return new BackendException(BackendErrorKind.Transient, $"Azure {what}{where} timed out.", error);
            case HttpRequestException or IOException or SocketException or WebException:
                return new BackendException(BackendErrorKind.Transient, $"Azure {what}{where} failed: {BackendUrl.Redact(error.Message)}", error);
            default:
                return null;
        }
    }

    internal static BackendErrorKind KindOf(RequestFailedException failed)
    {
        switch (failed.ErrorCode)
        {
            case "BlobNotFound" or "ResourceNotFound" or "ContainerNotFound":
                return BackendErrorKind.NotFound;
            case "AuthenticationFailed" or "AuthorizationFailure" or "AuthorizationPermissionMismatch"
                or "AuthorizationSourceIPMismatch" or "AuthorizationProtocolMismatch" or "AuthorizationResourceTypeMismatch"
                or "AuthorizationServiceMismatch" or "InsufficientAccountPermissions" or "AccountIsDisabled"
                or "BlobArchived" or "BlobBeingRehydrated":   // Archive tier: readable only after rehydration
                return BackendErrorKind.PermissionDenied;
            case "ServerBusy" or "OperationTimedOut" or "InternalError" or "AccountBeingCreated" or "ContainerBeingDeleted"
                or "Md5Mismatch" or "Crc64Mismatch":   // a corrupted body: sending it again helps
                return BackendErrorKind.Transient;
        }
        return failed.Status switch
        {
            404 => BackendErrorKind.NotFound,
            401 or 403 => BackendErrorKind.PermissionDenied,
            408 or 429 => BackendErrorKind.Transient,
            >= 500 => BackendErrorKind.Transient,
            0 => BackendErrorKind.Transient,   // no HTTP answer at all
            _ => BackendErrorKind.Permanent,
        };
    }

    private static string Describe(RequestFailedException failed)
    {
        var code = string.IsNullOrEmpty(failed.ErrorCode) ? "" : failed.ErrorCode + " ";
        return failed.Status == 0
            ? $"{code}{BackendUrl.Redact(FirstLine(failed.Message))}"
            : $"{code}(HTTP {failed.Status})";
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
