using System.Net;

namespace Duplicity.Backends.Swift;

/// <summary>Turns HTTP statuses and transport failures into <see cref="BackendException"/>s without secrets.</summary>
internal static class SwiftErrors
{
    public static BackendException FromStatus(HttpStatusCode status, string operation, string? detail = null)
    {
        var code = (int)status;
        var kind = code switch
        {
            404 => BackendErrorKind.NotFound,
            401 or 403 => BackendErrorKind.PermissionDenied,
            507 or 413 => BackendErrorKind.NoSpace,
            408 or 429 or 499 => BackendErrorKind.Transient,
            >= 500 => BackendErrorKind.Transient,
            _ => BackendErrorKind.Permanent,
        };
        var text = $"Swift {operation} failed: HTTP {code} {status}";
        if (!string.IsNullOrWhiteSpace(detail))
            text += ": " + Trim(detail);
        return new BackendException(kind, text);
    }

    public static BackendException Transport(string operation, Exception inner) =>
        new(BackendErrorKind.Transient, $"Swift {operation} failed: {inner.Message}", inner);

    public static BackendException Timeout(string operation, Exception inner) =>
        new(BackendErrorKind.Transient, $"Swift {operation} timed out.", inner);

    // Server error bodies are short HTML/text; keep one line of them, and never the request headers.
    private static string Trim(string detail)
    {
        detail = detail.ReplaceLineEndings(" ").Trim();
        return detail.Length <= 200 ? detail : detail[..200] + "...";
    }
}
