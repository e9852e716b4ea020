using System.Globalization;
using System.Text.RegularExpressions;

namespace Duplicity.Backends;

/// <summary>
/// A backend URL parsed the way duplicity parses one: <c>scheme://[user[:password]@]host[:port]/path[?query]</c>.
/// <see cref="ToString"/> never shows the password.
/// </summary>
/// <remarks>
/// Schemes with a network location (<c>sftp://user@host:22/dir</c>) use <see cref="Host"/>,
/// <see cref="Port"/> and <see cref="Path"/>. Schemes without one (<c>file://relative/dir</c>,
/// <c>file:///absolute/dir</c>, <c>s3+http://bucket/prefix</c>) use <see cref="HostAndPath"/>, which is
/// duplicity's path with its leading <c>//</c> removed.
/// </remarks>
public sealed partial class BackendUrl
{
    private const string Examples =
        "Examples of URL strings are \"scp://user@host.net:1234/path\" and \"file:///usr/local\".";

    private readonly string _redacted;

    // The URL as given (password included): only to re-parse it without a wrapper prefix, never shown.
    private readonly string _text;

    private BackendUrl(string text, string redacted)
    {
        _text = text;
        _redacted = redacted;
    }

    /// <summary>The scheme in lower case, e.g. <c>file</c>, <c>sftp</c>, <c>boto3+s3</c>.</summary>
    public string Scheme { get; private init; } = "";

    /// <summary>The percent-decoded user name, or null when the URL has none.</summary>
    public string? UserName { get; private init; }

    /// <summary>The percent-decoded password, or null when the URL has none. Never put it in a message.</summary>
    public string? Password { get; private init; }

    /// <summary>The host name in lower case (IPv6 addresses without brackets), or null when empty.</summary>
    public string? Host { get; private init; }

    /// <summary>The port, or null when the URL has none.</summary>
    public int? Port { get; private init; }

    /// <summary>The percent-decoded path after the network location: starts with <c>/</c>, or is empty.</summary>
    public string Path { get; private init; } = "";

    /// <summary>
    /// Everything after <c>scheme://</c> and any <c>user:password@</c>, percent-decoded, without query or
    /// fragment, host case preserved: <c>file://relative/dir</c> gives <c>relative/dir</c>,
    /// <c>file:///abs/dir</c> gives <c>/abs/dir</c>.
    /// </summary>
    public string HostAndPath { get; private init; } = "";

    /// <summary>The raw query string without its <c>?</c>, or null when the URL has none.</summary>
    public string? Query { get; private init; }

    /// <summary>
    /// Returns the first value of a query parameter (percent-decoded, <c>+</c> read as a space), or null.
    /// </summary>
    /// <param name="name">The parameter name (case-sensitive).</param>
    public string? GetQueryValue(string name)
    {
        if (Query is null)
            return null;
        foreach (var pair in Query.Split('&', ';'))
        {
            var eq = pair.IndexOf('=');
            var key = Decode(eq < 0 ? pair : pair[..eq], plusIsSpace: true);
            if (key == name)
                return eq < 0 ? "" : Decode(pair[(eq + 1)..], plusIsSpace: true);
        }
        return null;
    }

    /// <summary>The URL as given, with the password (if any) replaced by <c>***</c>.</summary>
    public override string ToString() => _redacted;

    /// <summary>
    /// Parses a backend URL. Throws <see cref="DuplicityException"/> with <see cref="DuplicityErrorCode.BadUrl"/>
    /// when the text is not a URL of the form <c>scheme://...</c> or its port or brackets are malformed;
    /// the message shows the URL with its password redacted.
    /// </summary>
    /// <param name="url">The URL text.</param>
    public static BackendUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.Trim();

        var colon = text.IndexOf(':');
        if (colon <= 0 || !IsScheme(text.AsSpan(0, colon)))
            throw BadUrl($"Bad URL '{Redact(text)}'. {Examples}");
        var scheme = text[..colon].ToLowerInvariant();
        if (!text.AsSpan(colon + 1).StartsWith("//"))
            throw BadUrl($"missing // - relative paths not supported for scheme {scheme}: {Redact(text)}");

        // Split the remainder the way urlsplit does: fragment, then query, then authority up to the first '/'.
        var rest = text[(colon + 3)..];
        var hash = rest.IndexOf('#');
        if (hash >= 0)
            rest = rest[..hash];
        string? query = null;
        var question = rest.IndexOf('?');
        if (question >= 0)
        {
            query = rest[(question + 1)..];
            rest = rest[..question];
        }
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var rawPath = slash < 0 ? "" : rest[slash..];

        string? user = null, password = null;
        var hostPort = authority;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            hostPort = authority[(at + 1)..];
            var userColon = userInfo.IndexOf(':');
            user = userColon < 0 ? userInfo : userInfo[..userColon];
            password = userColon < 0 ? null : userInfo[(userColon + 1)..];
        }

        var redacted = text;
        if (password is not null)
        {
            // The password starts after the first ':' of the user info and ends at the last '@'.
            var passwordStart = colon + 3 + authority.IndexOf(':') + 1;
            redacted = string.Concat(text.AsSpan(0, passwordStart), "***", text.AsSpan(colon + 3 + at));
        }

        var (host, portText) = SplitHostPort(hostPort, redacted);
        int? port = null;
        // duplicity lets rclone's "remote:path" through, where urlsplit takes "path" for a port.
        if (portText.Length > 0 && !IsRcloneScheme(scheme))
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 65535)
                throw BadUrl($"Syntax error (port) in: {redacted}");
            port = value;
        }

        return new BackendUrl(text, redacted)
        {
            Scheme = scheme,
            UserName = string.IsNullOrEmpty(user) ? null : Decode(user, plusIsSpace: false),
            Password = string.IsNullOrEmpty(password) ? null : Decode(password, plusIsSpace: false),
            Host = host.Length == 0 ? null : host.ToLowerInvariant(),
            Port = port,
            Path = Decode(rawPath, plusIsSpace: false),
            HostAndPath = Decode(hostPort + rawPath, plusIsSpace: false),
            Query = query,
        };
    }

    /// <summary>
    /// Replaces the password of every URL found in <paramref name="text"/> (<c>scheme://user:password@host</c>)
    /// with <c>***</c>. Use it on any text that may contain a URL before logging or showing it.
    /// </summary>
    /// <param name="text">Any text, e.g. an exception message or a command line.</param>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("://", StringComparison.Ordinal) ? PasswordInUrl().Replace(text, "${head}***@") : text;
    }

    /// <summary>
    /// The URL without a wrapper's <c>prefix+</c> at the start of its scheme (<c>par2+sftp://h/p</c> gives
    /// <c>sftp://h/p</c>), as duplicity strips a registered prefix before opening the wrapped backend.
    /// </summary>
    internal BackendUrl WithoutSchemePrefix(string prefix) => Parse(_text[(prefix.Length + 1)..]);

    private static bool IsRcloneScheme(string scheme) =>
        scheme == "rclone" || scheme.EndsWith("+rclone", StringComparison.Ordinal);

    private static (string Host, string Port) SplitHostPort(string hostPort, string redacted)
    {
        var open = hostPort.IndexOf('[');
        var close = hostPort.IndexOf(']');
        if ((open < 0) != (close < 0) || close < open)
            throw BadUrl($"Invalid IPv6 URL: {redacted}");
        if (open >= 0)
        {
            var after = hostPort.AsSpan(close + 1);
            var portColon = after.IndexOf(':');
            return (hostPort[(open + 1)..close], portColon < 0 ? "" : after[(portColon + 1)..].ToString());
        }
        var colon = hostPort.IndexOf(':');
        return colon < 0 ? (hostPort, "") : (hostPort[..colon], hostPort[(colon + 1)..]);
    }

    private static bool IsScheme(ReadOnlySpan<char> candidate)
    {
        if (!char.IsAsciiLetter(candidate[0]))
            return false;
        foreach (var c in candidate)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
                return false;
        }
        return true;
    }

    private static string Decode(string text, bool plusIsSpace)
    {
        if (plusIsSpace)
            text = text.Replace('+', ' ');
        return text.Contains('%') ? Uri.UnescapeDataString(text) : text;
    }

    private static DuplicityException BadUrl(string message) => new(DuplicityErrorCode.BadUrl, message);

    // scheme://user:PASSWORD@ — the password runs to the last '@' before the end of the authority.
    [GeneratedRegex(@"(?<head>(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]*://[^:/?#@\s]*:)[^/?#\s]*@", RegexOptions.CultureInvariant)]
    private static partial Regex PasswordInUrl();
}
