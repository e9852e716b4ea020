namespace Duplicity.Backends.WebDav;

/// <summary>Settings of the WebDAV backend that duplicity takes from its command line rather than the URL or environment.</summary>
public sealed class WebDavBackendOptions
{
    /// <summary>
    /// duplicity's <c>--ssl-cacert-file</c>: a PEM file of CA certificates. When it (or <see cref="CaCertificatePath"/>)
    /// is given, a <c>webdavs://</c> server's certificate must chain to one of these CAs (the system's CAs are then
    /// not used, as with duplicity), and its name must still match the host. An untrusted certificate is always refused.
    /// </summary>
    public string? CaCertificateFile { get; init; }

    /// <summary>
    /// duplicity's <c>--ssl-cacert-path</c>: a folder of CA certificates (PEM or DER files, such as an OpenSSL
    /// hashed certificate folder), trusted like <see cref="CaCertificateFile"/>.
    /// </summary>
    public string? CaCertificatePath { get; init; }

    /// <summary>
    /// The longest time a request without a body (listing start, folder check, MKCOL, MOVE, DELETE, the start of a
    /// download) may take before it fails as <see cref="BackendErrorKind.Transient"/>; an upload fails when it makes
    /// no progress for this long. Default 60 s.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest a download or a listing may wait for its next bytes before it fails as
    /// <see cref="BackendErrorKind.Transient"/>. Default 60 s. Connecting is bounded separately (30 s).
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many deletes run at once. Default 4.</summary>
    public int DeleteConcurrency { get; init; } = 4;
}
