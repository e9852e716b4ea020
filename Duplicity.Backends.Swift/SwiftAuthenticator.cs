using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Swift;

/// <summary>
/// Obtains a <see cref="SwiftSession"/>: tempauth (v1: <c>X-Auth-User</c>/<c>X-Auth-Key</c>), Keystone v2.0
/// (<c>POST /tokens</c>) or Keystone v3 password auth (<c>POST /v3/auth/tokens</c>), taking the object-store
/// endpoint of the configured region and interface from the service catalog.
/// </summary>
internal sealed class SwiftAuthenticator(HttpClient http, SwiftAuthSettings settings, TimeSpan timeout, ILogger logger)
{
    private const string Operation = "authentication";

    public async Task<SwiftSession> AuthenticateAsync(CancellationToken cancellationToken)
    {
        if (!settings.HasCredentials)
            throw new BackendException(BackendErrorKind.PermissionDenied,
                "Swift refused the pre-authenticated token and no SWIFT_USERNAME/SWIFT_PASSWORD/SWIFT_AUTHURL are set to log in again.");
        if (logger.IsEnabled(LogLevel.Debug))
        {
            // A local: CA1873 misses IsEnabled guards around [LoggerMessage] calls (dotnet/sdk#50893).
            var authUrl = BackendUrl.Redact(settings.AuthUrl ?? "");
            SwiftLog.Authenticating(logger, authUrl, settings.AuthVersion, settings.UserName ?? settings.UserId);
        }
        using var request = settings.AuthVersion switch
        {
            1 => V1Request(),
            2 => V2Request(),
            _ => V3Request(),
        };
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw SwiftErrors.Timeout(Operation, e);
        }
        catch (HttpRequestException e)
        {
            throw SwiftErrors.Transport(Operation, e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                // Keystone answers a wrong password with 401; tempauth too. Never include the request.
                throw SwiftErrors.FromStatus(response.StatusCode, Operation,
                    response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? "the credentials were refused" : null);
            }
            var session = settings.AuthVersion switch
            {
                1 => ReadV1(response),
                2 => ReadV2(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)),
                _ => ReadV3(response, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)),
            };
            SwiftLog.Authenticated(logger, session.StorageUrl);
            return session;
        }
    }

    private HttpRequestMessage V1Request()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, settings.AuthUrl);
        request.Headers.TryAddWithoutValidation("X-Auth-User", settings.UserName ?? settings.UserId);
        request.Headers.TryAddWithoutValidation("X-Auth-Key", settings.Password);
        return request;
    }

    private static SwiftSession ReadV1(HttpResponseMessage response)
    {
        var storage = FirstHeader(response, "X-Storage-Url");
        var token = FirstHeader(response, "X-Auth-Token") ?? FirstHeader(response, "X-Storage-Token");
        if (storage is null || token is null || !Uri.TryCreate(storage, UriKind.Absolute, out var url))
            throw new BackendException(BackendErrorKind.Permanent, "Swift v1 authentication answered without X-Storage-Url/X-Auth-Token.");
        return new SwiftSession(TrimSlash(url), token);
    }

    private HttpRequestMessage V2Request()
    {
        var credentials = new JsonObject { ["password"] = settings.Password };
        if (settings.UserName is not null) credentials["username"] = settings.UserName;
        else credentials["userId"] = settings.UserId;
        var auth = new JsonObject { ["passwordCredentials"] = credentials };
        if (settings.ProjectId is not null) auth["tenantId"] = settings.ProjectId;
        else if (settings.ProjectName is not null) auth["tenantName"] = settings.ProjectName;
        return JsonPost(Endpoint(settings.AuthUrl!, "v2.0", "/tokens"), new JsonObject { ["auth"] = auth });
    }

    private SwiftSession ReadV2(string body)
    {
        var access = Parse(body)["access"];
        var token = (string?)access?["token"]?["id"];
        var key = settings.Interface + "URL";
        foreach (var service in access?["serviceCatalog"]?.AsArray() ?? [])
        {
            if ((string?)service?["type"] != "object-store")
                continue;
            foreach (var endpoint in service!["endpoints"]?.AsArray() ?? [])
            {
                if (settings.RegionName is not null && (string?)endpoint?["region"] != settings.RegionName)
                    continue;
                if ((string?)endpoint?[key] is { } url && token is not null)
                    return new SwiftSession(TrimSlash(new Uri(url)), token);
            }
        }
        throw NoEndpoint();
    }

    private HttpRequestMessage V3Request()
    {
        var user = new JsonObject { ["password"] = settings.Password };
        if (settings.UserId is not null && settings.UserName is null)
            user["id"] = settings.UserId;
        else
        {
            user["name"] = settings.UserName;
            user["domain"] = Domain(settings.UserDomainName, settings.UserDomainId);
        }
        var auth = new JsonObject
        {
            ["identity"] = new JsonObject
            {
                ["methods"] = new JsonArray("password"),
                ["password"] = new JsonObject { ["user"] = user },
            },
        };
        if (settings.ProjectId is not null)
            auth["scope"] = new JsonObject { ["project"] = new JsonObject { ["id"] = settings.ProjectId } };
        else if (settings.ProjectName is not null)
        {
            auth["scope"] = new JsonObject
            {
                ["project"] = new JsonObject
                {
                    ["name"] = settings.ProjectName,
                    ["domain"] = Domain(settings.ProjectDomainName, settings.ProjectDomainId),
                },
            };
        }
        return JsonPost(Endpoint(settings.AuthUrl!, "v3", "/auth/tokens"), new JsonObject { ["auth"] = auth });
    }

    private SwiftSession ReadV3(HttpResponseMessage response, string body)
    {
        var token = FirstHeader(response, "X-Subject-Token")
            ?? throw new BackendException(BackendErrorKind.Permanent, "Keystone answered without X-Subject-Token.");
        foreach (var service in Parse(body)["token"]?["catalog"]?.AsArray() ?? [])
        {
            if ((string?)service?["type"] != "object-store")
                continue;
            foreach (var endpoint in service!["endpoints"]?.AsArray() ?? [])
            {
                if ((string?)endpoint?["interface"] != settings.Interface)
                    continue;
                if (settings.RegionName is not null && (string?)endpoint?["region_id"] != settings.RegionName &&
                    (string?)endpoint?["region"] != settings.RegionName)
                    continue;
                if ((string?)endpoint?["url"] is { } url)
                    return new SwiftSession(TrimSlash(new Uri(url)), token);
            }
        }
        throw NoEndpoint();
    }

    private BackendException NoEndpoint() => new(BackendErrorKind.Permanent,
        $"The service catalog has no {settings.Interface} object-store endpoint" +
        (settings.RegionName is null ? "." : $" in region '{settings.RegionName}'."));

    // Without a domain, Keystone cannot resolve a user or project name; "default" is what the clients assume.
    private static JsonObject Domain(string? name, string? id) =>
        name is not null ? new JsonObject { ["name"] = name } : new JsonObject { ["id"] = id ?? "default" };

    /// <summary>Accepts both <c>http://host:5000</c> and <c>http://host:5000/v3</c> (or <c>/v3/auth/tokens</c>).</summary>
    internal static Uri Endpoint(string authUrl, string version, string path)
    {
        var text = authUrl.TrimEnd('/');
        if (text.EndsWith(path, StringComparison.Ordinal))
            return new Uri(text);
        if (!text.EndsWith("/" + version, StringComparison.Ordinal))
            text += "/" + version;
        return new Uri(text + path);
    }

    private static HttpRequestMessage JsonPost(Uri url, JsonObject body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private static JsonNode Parse(string body)
    {
        try
        {
            return JsonNode.Parse(body) ?? new JsonObject();
        }
        catch (JsonException e)
        {
            throw new BackendException(BackendErrorKind.Permanent, "The identity service answered with malformed JSON.", e);
        }
    }

    private static string? FirstHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static Uri TrimSlash(Uri url) => new(url.AbsoluteUri.TrimEnd('/'));
}
