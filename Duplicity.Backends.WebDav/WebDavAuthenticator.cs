using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Duplicity.Backends.WebDav;

/// <summary>
/// HTTP Basic and Digest (RFC 7616: MD5, SHA-256 and their -sess forms, qop=auth) authentication. Nothing is
/// sent until the server asks (as duplicity does); from then on every request carries the answer to the last
/// challenge, so later requests, and the bodies of uploads, are not refused first.
/// </summary>
internal sealed class WebDavAuthenticator(string? user, string? password)
{
    private volatile Challenge? _challenge;
    private long _nonceCount;

    private sealed record Challenge(string Scheme, IReadOnlyDictionary<string, string> Parameters);

    /// <summary>The user name answered with (never the password).</summary>
    public string? User => user;

    /// <summary>Adds the Authorization header once a challenge is known.</summary>
    public void Apply(HttpRequestMessage request)
    {
        if (_challenge is not { } challenge || user is null)
            return;
        request.Headers.Authorization = challenge.Scheme == "Basic"
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")))
            : new AuthenticationHeaderValue("Digest", DigestResponse(challenge.Parameters, request));
    }

    /// <summary>
    /// Takes the challenge of a 401 answer. True when the request should be sent again with the new answer:
    /// a request sent without an answer, or a Digest challenge whose nonce went stale. False when there are no
    /// credentials, no usable challenge, or the answer the request carried was refused (wrong credentials).
    /// </summary>
    /// <param name="response">The 401 response.</param>
    /// <param name="answered">Whether the refused request carried an Authorization header.</param>
    /// <param name="scheme">The scheme chosen (for the log), when true.</param>
    public bool Accept(HttpResponseMessage response, bool answered, out string scheme)
    {
        scheme = "";
        if (user is null)
            return false;
        Challenge? digest = null, basic = null;
        foreach (var header in response.Headers.WwwAuthenticate)
        {
            if (header.Scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase))
            {
                var parameters = ParseParameters(header.Parameter ?? "");
                if (parameters.ContainsKey("nonce") && SupportedAlgorithm(parameters) && SupportedQop(parameters))
                    digest ??= new Challenge("Digest", parameters);
            }
            else if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                basic ??= new Challenge("Basic", new Dictionary<string, string>());
            }
        }
        // Digest never shows the password to the server: prefer it when both are offered.
        var chosen = digest ?? basic;
        if (chosen is null)
            return false;
        var stale = chosen.Parameters.TryGetValue("stale", out var s) && s.Equals("true", StringComparison.OrdinalIgnoreCase);
        if (answered && !stale)
            return false;   // the answer was refused for itself, not for an old nonce: the credentials are wrong
        Interlocked.Exchange(ref _nonceCount, 0);
        _challenge = chosen;
        scheme = chosen.Scheme;
        return true;
    }

    private static bool SupportedAlgorithm(Dictionary<string, string> parameters) =>
        !parameters.TryGetValue("algorithm", out var a) ||
        a.ToUpperInvariant() is "MD5" or "MD5-SESS" or "SHA-256" or "SHA-256-SESS";

    private static bool SupportedQop(Dictionary<string, string> parameters) =>
        !parameters.TryGetValue("qop", out var qop) ||
        qop.Split(',', StringSplitOptions.TrimEntries).Contains("auth", StringComparer.OrdinalIgnoreCase);

    private string DigestResponse(IReadOnlyDictionary<string, string> c, HttpRequestMessage request)
    {
        var algorithm = c.TryGetValue("algorithm", out var a) ? a : "MD5";
        var sess = algorithm.EndsWith("-sess", StringComparison.OrdinalIgnoreCase);
        var sha256 = algorithm.StartsWith("SHA-256", StringComparison.OrdinalIgnoreCase);
        var realm = c.GetValueOrDefault("realm", "");
        var nonce = c["nonce"];
        var useQop = c.ContainsKey("qop");
        // The request-target exactly as HttpClient sends it: the server hashes the same string.
        var uri = request.RequestUri!.PathAndQuery;
        var cnonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var nc = Interlocked.Increment(ref _nonceCount).ToString("x8", CultureInfo.InvariantCulture);

        var ha1 = Hash(sha256, $"{user}:{realm}:{password}");
        if (sess)
            ha1 = Hash(sha256, $"{ha1}:{nonce}:{cnonce}");
        var ha2 = Hash(sha256, $"{request.Method.Method}:{uri}");
        var response = useQop ? Hash(sha256, $"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}") : Hash(sha256, $"{ha1}:{nonce}:{ha2}");

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"username=\"{Quote(user!)}\", realm=\"{Quote(realm)}\", nonce=\"{Quote(nonce)}\", uri=\"{Quote(uri)}\"");
        text.Append(CultureInfo.InvariantCulture, $", algorithm={algorithm}, response=\"{response}\"");
        if (useQop)
            text.Append(CultureInfo.InvariantCulture, $", qop=auth, nc={nc}, cnonce=\"{cnonce}\"");
        if (c.TryGetValue("opaque", out var opaque))
            text.Append(CultureInfo.InvariantCulture, $", opaque=\"{Quote(opaque)}\"");
        return text.ToString();
    }

    private static string Hash(bool sha256, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
#pragma warning disable CA5351 // RFC 7616's default algorithm is MD5; the server chooses it, and it is what mod_auth_digest offers.
        return Convert.ToHexStringLower(sha256 ? SHA256.HashData(bytes) : MD5.HashData(bytes));
#pragma warning restore CA5351
    }

    private static string Quote(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>Parses <c>key=value, key="quoted, \"value\""</c> (RFC 7235 auth-params); keys case-insensitive.</summary>
    internal static Dictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
                i++;
            var keyStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',')
                i++;
            var key = text[keyStart..i].Trim();
            if (i >= text.Length || text[i] != '=')
                continue;
            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
                i++;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                        i++;
                    value.Append(text[i++]);
                }
                i++;
            }
            else
            {
                while (i < text.Length && text[i] != ',')
                    value.Append(text[i++]);
            }
            if (key.Length > 0)
                result.TryAdd(key, value.ToString().Trim());
        }
        return result;
    }
}
