namespace Duplicity.Backends.Ftp;

/// <summary>How a connection is protected.</summary>
public enum FtpSecurity
{
    /// <summary>Plain FTP (<c>ftp://</c>): nothing is encrypted, the password included.</summary>
    None,

    /// <summary>Explicit TLS (<c>ftpes://</c>): AUTH TLS on the control connection, then PBSZ 0 and PROT P.</summary>
    Explicit,

    /// <summary>Implicit TLS (<c>ftps://</c>, as lftp reads it, port 990 by default): TLS from the first byte.</summary>
    Implicit,
}
