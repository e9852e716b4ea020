namespace Duplicity.Backends.Swift;

/// <summary>
/// How to authenticate, read from the <c>SWIFT_*</c> variables the way duplicity 0.8.22 reads them.
/// </summary>
internal sealed record SwiftAuthSettings
{
    public string? AuthUrl { get; init; }
    public string? UserName { get; init; }
    public string? UserId { get; init; }
    public string? Password { get; init; }
    /// <summary>1 (tempauth), 2 (Keystone v2.0) or 3 (Keystone v3).</summary>
    public int AuthVersion { get; init; } = 1;
    /// <summary>The project; duplicity calls it tenant (<c>SWIFT_TENANTNAME</c>), newer tools <c>SWIFT_PROJECT_NAME</c>.</summary>
    public string? ProjectName { get; init; }
    public string? ProjectId { get; init; }
    public string? UserDomainName { get; init; }
    public string? UserDomainId { get; init; }
    public string? ProjectDomainName { get; init; }
    public string? ProjectDomainId { get; init; }
    public string? RegionName { get; init; }
    /// <summary>Catalog interface: public (default), internal or admin (<c>SWIFT_ENDPOINT_TYPE</c>, "publicURL" style accepted).</summary>
    public string Interface { get; init; } = "public";
    public Uri? PreAuthUrl { get; init; }
    public string? PreAuthToken { get; init; }

    /// <summary>Whether a user name and password are available to (re-)authenticate.</summary>
    public bool HasCredentials => AuthUrl is not null && (UserName is not null || UserId is not null) && Password is not null;

    public static SwiftAuthSettings FromEnvironment(BackendOpenOptions options)
    {
        string? Get(string name) => options.GetEnvironmentVariable(name);

        var versionText = Get("SWIFT_AUTHVERSION") ?? "1";
        var version = versionText.TrimStart('v', 'V') switch
        {
            "1" or "1.0" => 1,
            "2" or "2.0" => 2,
            "3" or "3.0" => 3,
            _ => throw new BackendException(BackendErrorKind.Permanent,
                $"SWIFT_AUTHVERSION must be 1, 2 or 3, not '{versionText}'."),
        };
        Uri? preAuthUrl = null;
        var preAuthText = Get("SWIFT_PREAUTHURL");
        var preAuthToken = Get("SWIFT_PREAUTHTOKEN");
        if (preAuthText is not null && preAuthToken is not null)
            preAuthUrl = ParseUrl(preAuthText, "SWIFT_PREAUTHURL");

        var settings = new SwiftAuthSettings
        {
            AuthUrl = Get("SWIFT_AUTHURL"),
            UserName = Get("SWIFT_USERNAME"),
            UserId = Get("SWIFT_USERID"),
            Password = Get("SWIFT_PASSWORD"),
            AuthVersion = version,
            ProjectName = Get("SWIFT_PROJECT_NAME") ?? Get("SWIFT_TENANTNAME"),
            ProjectId = Get("SWIFT_PROJECT_ID") ?? Get("SWIFT_TENANTID"),
            UserDomainName = Get("SWIFT_USER_DOMAIN_NAME"),
            UserDomainId = Get("SWIFT_USER_DOMAIN_ID"),
            ProjectDomainName = Get("SWIFT_PROJECT_DOMAIN_NAME"),
            ProjectDomainId = Get("SWIFT_PROJECT_DOMAIN_ID"),
            RegionName = Get("SWIFT_REGIONNAME"),
            Interface = NormalizeInterface(Get("SWIFT_ENDPOINT_TYPE")),
            PreAuthUrl = preAuthUrl,
            PreAuthToken = preAuthUrl is null ? null : preAuthToken,
        };
        if (settings.PreAuthUrl is null)
        {
            // duplicity's own messages for missing settings.
            foreach (var (name, value) in new[] { ("SWIFT_USERNAME", settings.UserName ?? settings.UserId), ("SWIFT_PASSWORD", settings.Password), ("SWIFT_AUTHURL", settings.AuthUrl) })
            {
                if (value is null)
                    throw new BackendException(BackendErrorKind.Permanent, $"{name} environment variable not set.");
            }
            ParseUrl(settings.AuthUrl!, "SWIFT_AUTHURL");
        }
        return settings;
    }

    private static string NormalizeInterface(string? endpointType) => endpointType?.ToLowerInvariant() switch
    {
        null or "" or "public" or "publicurl" => "public",
        "internal" or "internalurl" => "internal",
        "admin" or "adminurl" => "admin",
        var other => other!,
    };

    private static Uri ParseUrl(string text, string variable)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new BackendException(BackendErrorKind.Permanent, $"{variable} is not an http(s) URL: {BackendUrl.Redact(text)}");
        return uri;
    }

    /// <summary>Never print the password or token.</summary>
    public override string ToString() => $"SwiftAuthSettings {{ AuthUrl = {AuthUrl}, AuthVersion = {AuthVersion}, UserName = {UserName} }}";
}
