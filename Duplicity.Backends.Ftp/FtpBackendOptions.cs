namespace Duplicity.Backends.Ftp;

/// <summary>
/// duplicity's command-line settings for FTP: <c>--ftp-passive</c> / <c>--ftp-regular</c>,
/// <c>--ssl-cacert-file</c>, <c>--ssl-no-check-certificate</c> and <c>--timeout</c>.
/// </summary>
public sealed class FtpBackendOptions
{
    /// <summary>
    /// Passive mode (the default, duplicity's <c>--ftp-passive</c>): the client opens each data connection
    /// (EPSV, falling back to PASV). False is <c>--ftp-regular</c>: the server connects back (EPRT or PORT).
    /// </summary>
    public bool Passive { get; set; } = true;

    /// <summary>
    /// A PEM file of the certificate authorities that may sign the server's TLS certificate
    /// (<c>--ssl-cacert-file</c>), instead of the system's trust store. The host name is checked either way.
    /// </summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>Accepts any TLS certificate (<c>--ssl-no-check-certificate</c>). Only for tests and trusted networks.</summary>
    public bool SkipCertificateCheck { get; set; }

    /// <summary>
    /// How long a connect, a reply or a data read or write may take without progress before the
    /// connection is closed and the operation fails as transient (duplicity's <c>--timeout</c>, 30 seconds).
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many logged-in connections are kept open between operations (at least 1; default 4).</summary>
    public int MaxIdleConnections { get; set; } = 4;

    /// <summary>Throws <see cref="ArgumentException"/> for settings that cannot work.</summary>
    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentException("The FTP timeout must be positive.", nameof(Timeout));
        if (MaxIdleConnections < 1)
            throw new ArgumentException("MaxIdleConnections must be at least 1.", nameof(MaxIdleConnections));
        if (CaCertificateFile is not null && !File.Exists(CaCertificateFile))
            throw new ArgumentException($"The CA certificate file '{CaCertificateFile}' does not exist.", nameof(CaCertificateFile));
    }
}
