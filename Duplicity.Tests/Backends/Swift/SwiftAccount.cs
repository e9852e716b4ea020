using System.Net;
using System.Text.Json.Nodes;

namespace Duplicity.Tests.Backends.Swift;

/// <summary>Direct access to the tempauth test account, to look at what the backend stored.</summary>
internal sealed class SwiftAccount : IDisposable
{
    private readonly HttpClient _http = new();

    private SwiftAccount(string storageUrl, string token)
    {
        StorageUrl = storageUrl;
        Token = token;
    }

    public string StorageUrl { get; }
    public string Token { get; }

    public static async Task<SwiftAccount> LoginV1Async(SwiftTestServers servers)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, servers.V1AuthUrl);
        request.Headers.Add("X-Auth-User", servers.Swift["SWIFT_V1_USER"]);
        request.Headers.Add("X-Auth-Key", servers.Swift["SWIFT_V1_KEY"]);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return new SwiftAccount(response.Headers.GetValues("X-Storage-Url").First(), response.Headers.GetValues("X-Auth-Token").First());
    }

    /// <summary>Every object name in a container (empty when the container does not exist).</summary>
    public async Task<List<string>> ListAsync(string container)
    {
        using var response = await SendAsync(HttpMethod.Get, container + "?format=json");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return [];
        response.EnsureSuccessStatusCode();
        if (response.StatusCode == HttpStatusCode.NoContent)
            return [];
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(n => (string)n!["name"]!).ToList();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, StorageUrl + "/" + path);
        request.Headers.Add("X-Auth-Token", Token);
        return await _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();
}
