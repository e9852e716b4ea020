namespace Duplicity.Backends.Ftp;

/// <summary>Registers the <see cref="FtpBackend"/> with a <see cref="BackendRegistry"/>.</summary>
public static class FtpRegistration
{
    /// <summary>
    /// Registers the schemes duplicity 0.8.22 serves with lftp: <c>ftp</c>, <c>ftps</c> (implicit TLS),
    /// <c>ftpes</c> (explicit TLS) and their <c>lftp+</c> forms; the password from the URL or <c>FTP_PASSWORD</c>.
    /// </summary>
    /// <param name="registry">The registry to add to.</param>
    /// <param name="options">duplicity's command-line settings for FTP (passive or active, CA file, timeout).</param>
    /// <returns>The registry, for chaining.</returns>
    public static BackendRegistry AddFtp(this BackendRegistry registry, FtpBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var scheme in new[] { "ftp", "ftps", "ftpes", "lftp+ftp", "lftp+ftps", "lftp+ftpes" })
            registry.Register(scheme, (url, openOptions) => FtpBackend.Open(url, openOptions, options));
        return registry;
    }
}
