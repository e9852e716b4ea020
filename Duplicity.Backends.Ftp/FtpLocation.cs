namespace Duplicity.Backends.Ftp;

/// <summary>
/// Where an FTP backend URL points, read as duplicity's lftp backend reads it: <c>scheme://[user[:password]@]host[:port]/folder</c>.
/// The folder is relative to the login folder (<c>ftp://host/backups</c> is <c>~/backups</c>); a second
/// slash makes it absolute (<c>ftp://host//srv/backups</c>). The password comes from the URL, else from
/// <c>FTP_PASSWORD</c>; no user logs in as <c>anonymous</c>.
/// </summary>
internal sealed record FtpLocation(string Host, int Port, FtpSecurity Security, string UserName, string? Password,
    bool AbsoluteFolder, IReadOnlyList<string> Folder, string DisplayName)
{
    public const string AnonymousUser = "anonymous";

    /// <summary>The folder as a path for messages: <c>~/a/b</c> or <c>/a/b</c>.</summary>
    public string FolderText => (AbsoluteFolder ? "/" : "~/") + string.Join('/', Folder);

    public static FtpLocation From(BackendUrl url, BackendOpenOptions openOptions)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(openOptions);
        var scheme = url.Scheme.StartsWith("lftp+", StringComparison.Ordinal) ? url.Scheme[5..] : url.Scheme;
        var (security, defaultPort) = scheme switch
        {
            "ftp" => (FtpSecurity.None, 21),
            "ftpes" => (FtpSecurity.Explicit, 21),
            "ftps" => (FtpSecurity.Implicit, 990),
            _ => throw new ArgumentException($"Not an FTP URL: {url}", nameof(url)),
        };
        if (url.Host is null)
            throw new DuplicityException(DuplicityErrorCode.BadUrl, $"The FTP URL has no host: {url}");
        var user = url.UserName ?? AnonymousUser;
        var password = url.Password ?? openOptions.GetEnvironmentVariable("FTP_PASSWORD");
        // lftp's anonymous login sends an e-mail-like password when none is given.
        if (url.UserName is null && password is null)
            password = "anonymous@";
        // duplicity strips the path's first slash: "/a/b" is a/b below the login folder, "//a/b" is /a/b.
        var path = url.Path.Length > 0 && url.Path[0] == '/' ? url.Path[1..] : url.Path;
        var absolute = path.StartsWith('/');
        var folder = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var level in folder)
        {
            if (level is "." or ".." || level.Contains('\r') || level.Contains('\n'))
                throw new DuplicityException(DuplicityErrorCode.BadUrl, $"The FTP folder may not contain '.', '..' or line breaks: {url}");
        }
        return new FtpLocation(url.Host, url.Port ?? defaultPort, security, user, password, absolute, folder, url.ToString());
    }
}
