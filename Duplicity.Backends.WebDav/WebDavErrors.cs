using System.Net;
using System.Security.Authentication;

namespace Duplicity.Backends.WebDav;

/// <summary>Turns HTTP statuses and transport failures into <see cref="BackendException"/>s without secrets.</summary>
internal static class WebDavErrors
{
    public static BackendErrorKind KindOf(int code) => code switch
    {
        404 or 410 => BackendErrorKind.NotFound,
        401 or 403 => BackendErrorKind.PermissionDenied,
        507 or 413 => BackendErrorKind.NoSpace,
        408 or 423 or 429 => BackendErrorKind.Transient,
        >= 500 => BackendErrorKind.Transient,
        _ => BackendErrorKind.Permanent,
    };

    public static BackendException FromStatus(HttpResponseMessage response, string operation)
    {
        var code = (int)response.StatusCode;
        var text = $"WebDAV {operation} failed: HTTP {code} {response.ReasonPhrase ?? response.StatusCode.ToString()}";
        if (code is >= 300 and < 400 && response.Headers.Location is { } location)
            text += $" (redirected to {BackendUrl.Redact(location.ToString())}; use that URL)";
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            text += " (check the user name in the URL and the password in the URL or FTP_PASSWORD)";
        return new BackendException(KindOf(code), text);
    }

    public static BackendException Transport(string operation, HttpRequestException inner)
    {
        // A certificate that does not chain to a trusted CA (or names another host) will not be accepted by a retry.
        for (Exception? e = inner; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException)
                return new BackendException(BackendErrorKind.Permanent,
                    $"WebDAV {operation} failed: the server's TLS certificate is not trusted ({e.Message}). " +
                    "Give the CA that signed it with --ssl-cacert-file or --ssl-cacert-path.", inner);
        }
        return new BackendException(BackendErrorKind.Transient, $"WebDAV {operation} failed: {inner.Message}", inner);
    }

    public static BackendException Timeout(string operation, Exception inner) =>
        new(BackendErrorKind.Transient, $"WebDAV {operation} timed out.", inner);
}
