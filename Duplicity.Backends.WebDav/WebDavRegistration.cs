namespace Duplicity.Backends.WebDav;

/// <summary>Registers the <see cref="WebDavBackend"/> with a <see cref="BackendRegistry"/>.</summary>
public static class WebDavRegistration
{
    /// <summary>
    /// Registers duplicity's WebDAV schemes: <c>webdav://[user[:password]@]host[:port]/path</c> (HTTP) and
    /// <c>webdavs://</c> (HTTPS), and their aliases <c>http://</c> and <c>https://</c> as duplicity 0.8 has them.
    /// Without a password in the URL, <c>FTP_PASSWORD</c> of <see cref="BackendOpenOptions.Environment"/> is used.
    /// </summary>
    /// <param name="registry">The registry to add to.</param>
    /// <param name="options">duplicity's command-line settings for WebDAV (trusted CA certificates, timeouts).</param>
    /// <returns>The registry, for chaining.</returns>
    public static BackendRegistry AddWebDav(this BackendRegistry registry, WebDavBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var scheme in WebDavBackend.Schemes)
            registry.Register(scheme, (url, openOptions) => WebDavBackend.Open(url, openOptions, options));
        return registry;
    }
}
