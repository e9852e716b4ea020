namespace Duplicity.Backends.WebDav;

/// <summary>
/// Where the files live: the server (scheme, host, port) and the folder's path segments, and the URIs of the
/// folder, its parents and its files, every segment percent-encoded.
/// </summary>
internal sealed class WebDavLocation
{
    public WebDavLocation(Uri server, IReadOnlyList<string> segments)
    {
        Server = server;
        Segments = segments;
        FolderPath = "/" + string.Concat(segments.Select(s => s + "/"));
        FolderUri = FolderAt(segments.Count);
        Authority = server.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>scheme://host:port of the server, without a trailing slash.</summary>
    public string Authority { get; }

    /// <summary>scheme://host:port/ of the server.</summary>
    public Uri Server { get; }

    /// <summary>The folder's path segments, decoded.</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>The folder's path, decoded, starting and ending with <c>/</c>.</summary>
    public string FolderPath { get; }

    /// <summary>The folder's URI (ending in <c>/</c>).</summary>
    public Uri FolderUri { get; }

    /// <summary>The URI of the folder made of the first <paramref name="levels"/> segments.</summary>
    public Uri FolderAt(int levels) =>
        new(Server, "/" + string.Concat(Segments.Take(levels).Select(s => Uri.EscapeDataString(s) + "/")));

    /// <summary>The URI of a file in the folder.</summary>
    public Uri File(string name) => new(FolderUri, Uri.EscapeDataString(name));

    /// <summary>
    /// The file name an href of a listing names in the folder, or null when it is the folder itself, something
    /// deeper, or outside. Hrefs are compared decoded, since servers escape different characters.
    /// </summary>
    /// <exception cref="BackendException">The href is a full URL on another host (duplicity refuses that too).</exception>
    public string? NameOf(string href)
    {
        string path;
        if (Uri.TryCreate(href, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            if (!string.Equals(absolute.Host, Server.Host, StringComparison.OrdinalIgnoreCase))
                throw new BackendException(BackendErrorKind.Permanent,
                    $"The WebDAV listing names a file on another host ({absolute.Host}, not {Server.Host}); refusing it.");
            path = absolute.AbsolutePath;
        }
        else
        {
            var query = href.IndexOfAny(['?', '#']);
            path = query < 0 ? href : href[..query];
        }
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(path);
        }
        catch (UriFormatException)
        {
            return null;
        }
        if (!decoded.StartsWith(FolderPath, StringComparison.Ordinal))
            return null;
        var name = decoded[FolderPath.Length..];
        return name.Length == 0 || name.Contains('/') ? null : name;
    }
}
