using System.Net;
using System.Text;
using Duplicity.Backends;
using Duplicity.Backends.WebDav;
using Duplicity.Diagnostics;
using Duplicity.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Duplicity.Tests.Backends.WebDav;

/// <summary>
/// What no Apache answer shows: listings in pages, truncated listings, hrefs in other forms, status codes mapped
/// to error kinds, where the password comes from. A scripted handler plays the server.
/// </summary>
[Category("Unit")]
[TestFixture]
public class WebDavProtocolTests
{
    private sealed class ScriptedServer(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];
        public List<string?> Authorizations { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add($"{request.Method} {request.RequestUri!.PathAndQuery}");
                Authorizations.Add(request.Headers.Authorization?.ToString());
            }
            return Task.FromResult(answer(request));
        }
    }

    private static HttpResponseMessage MultiStatus(string responses, string? link = null)
    {
        var response = new HttpResponseMessage(HttpStatusCode.MultiStatus)
        {
            Content = new StringContent($"<?xml version=\"1.0\"?><D:multistatus xmlns:D=\"DAV:\">{responses}</D:multistatus>", Encoding.UTF8, "application/xml"),
        };
        if (link is not null)
            response.Headers.TryAddWithoutValidation("Link", link);
        return response;
    }

    private static string File(string href, long length) =>
        $"<D:response><D:href>{href}</D:href><D:propstat><D:prop><D:resourcetype/><D:getcontentlength>{length}</D:getcontentlength></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>";

    private static string Folder(string href) =>
        $"<D:response><D:href>{href}</D:href><D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>";

    private static WebDavBackend Open(ScriptedServer server, string url = "webdav://u@dav.example/x/y", Dictionary<string, string?>? env = null,
        RecordingLoggerFactory? log = null) =>
        WebDavBackend.Open(BackendUrl.Parse(url), new BackendOpenOptions
        {
            Environment = env ?? new Dictionary<string, string?> { ["FTP_PASSWORD"] = "pw" },
            HttpMessageHandlerFactory = () => server,
            LoggerFactory = log ?? new RecordingLoggerFactory(),
        });

    [Test]
    public async Task AListingFollowsTheServersPagesAndDecodesNames()
    {
        var server = new ScriptedServer(request => request.RequestUri!.Query switch
        {
            "" => MultiStatus(Folder("/x/y/") + File("/x/y/a%20b%C3%BC", 3) + File("http://dav.example/x/y/c%2Bd", 4) + Folder("/x/y/sub/"),
                "</x/y/?page=2>; rel=\"next\""),
            "?page=2" => MultiStatus(File("/x/y/e", 5) + File("/x/y/.e.0123456789abcdef.tmp", 1) + File("/x/other/f", 6)),
            _ => new HttpResponseMessage(HttpStatusCode.BadRequest),
        });
        var log = new RecordingLoggerFactory();
        await using var backend = Open(server, log: log);

        var listed = await backend.ListAsync().ToDictionaryAsync(f => f.Name, f => f.Size);

        Assert.That(listed, Is.EqualTo(new Dictionary<string, long> { ["a bü"] = 3, ["c+d"] = 4, ["e"] = 5 }));
        Assert.That(server.Requests, Is.EqualTo(new[] { "PROPFIND /x/y/", "PROPFIND /x/y/?page=2" }));
        Assert.That(log.EventIds, Does.Contain(DuplicityEventIds.WebDavListingNextPage));
    }

    [Test]
    public void ATruncatedListingFailsRatherThanReturnPartOfTheFolder()
    {
        var server = new ScriptedServer(_ => MultiStatus(File("/x/y/a", 1) +
            "<D:response><D:href>/x/y/</D:href><D:status>HTTP/1.1 507 Insufficient Storage</D:status></D:response>"));
        var backend = Open(server);

        var error = Assert.ThrowsAsync<BackendException>(async () => await backend.ListAsync().CountAsync());
        Assert.That(error!.Message, Does.Contain("truncated"));
    }

    [Test]
    public void AnHrefOnAnotherHostIsRefused()
    {
        var server = new ScriptedServer(_ => MultiStatus(File("http://elsewhere.example/x/y/a", 1)));
        var backend = Open(server);

        var error = Assert.ThrowsAsync<BackendException>(async () => await backend.ListAsync().CountAsync());
        Assert.That(error!.Message, Does.Contain("elsewhere.example"));
    }

    [Test]
    public void MalformedXmlIsATypedError()
    {
        var server = new ScriptedServer(_ => new HttpResponseMessage(HttpStatusCode.MultiStatus) { Content = new StringContent("<D:multistatus xmlns:D=\"DAV:\"><D:response>") });
        var backend = Open(server);

        Assert.ThrowsAsync<BackendException>(async () => await backend.ListAsync().CountAsync());
    }

    [TestCase(HttpStatusCode.NotFound, BackendErrorKind.NotFound)]
    [TestCase(HttpStatusCode.Forbidden, BackendErrorKind.PermissionDenied)]
    [TestCase(HttpStatusCode.InsufficientStorage, BackendErrorKind.NoSpace)]
    [TestCase(HttpStatusCode.RequestEntityTooLarge, BackendErrorKind.NoSpace)]
    [TestCase(HttpStatusCode.ServiceUnavailable, BackendErrorKind.Transient)]
    [TestCase(HttpStatusCode.InternalServerError, BackendErrorKind.Transient)]
    [TestCase(HttpStatusCode.TooManyRequests, BackendErrorKind.Transient)]
    [TestCase(HttpStatusCode.BadRequest, BackendErrorKind.Permanent)]
    public void StatusCodesBecomeErrorKinds(HttpStatusCode status, BackendErrorKind kind)
    {
        var server = new ScriptedServer(_ => new HttpResponseMessage(status));
        var backend = Open(server);

        Assert.That(Assert.ThrowsAsync<BackendException>(() => backend.GetAsync("f"))!.Kind, Is.EqualTo(kind));
    }

    [Test]
    public async Task AFullDiskDuringAnUploadIsNoSpaceAndTheTemporaryFileIsDeleted()
    {
        var server = new ScriptedServer(request => request.Method.Method switch
        {
            "PROPFIND" => MultiStatus(Folder("/x/y/")),
            "PUT" => new HttpResponseMessage(HttpStatusCode.InsufficientStorage),
            _ => new HttpResponseMessage(HttpStatusCode.NoContent),
        });
        await using var backend = Open(server);

        var error = Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("vol1", new MemoryStream(new byte[1000])));

        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.NoSpace));
        Assert.That(error.Code, Is.EqualTo(DuplicityErrorCode.BackendNoSpace));
        Assert.That(server.Requests, Has.Some.Match(@"^DELETE /x/y/\.vol1\.[0-9a-f]{16}\.tmp$"));
        Assert.That(server.Requests, Has.None.StartsWith("MOVE"));
    }

    [TestCase("webdav://u:inurl@dav.example/x", "inurl")]
    [TestCase("webdav://u@dav.example/x", "fromenv")]
    public async Task ThePasswordIsTheUrlsElseFtpPassword(string url, string expected)
    {
        var server = new ScriptedServer(request => request.Headers.Authorization is null
            ? new HttpResponseMessage(HttpStatusCode.Unauthorized) { Headers = { { "WWW-Authenticate", "Basic realm=\"r\"" } } }
            : new HttpResponseMessage(HttpStatusCode.NotFound));
        await using var backend = Open(server, url, new Dictionary<string, string?> { ["FTP_PASSWORD"] = "fromenv" });

        Assert.That(await backend.ListAsync().CountAsync(), Is.Zero);

        Assert.That(server.Authorizations, Is.EqualTo(new[] { null, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u:" + expected)) }));
    }

    [Test]
    public void WithoutCredentialsAChallengeIsPermissionDenied()
    {
        var server = new ScriptedServer(_ => new HttpResponseMessage(HttpStatusCode.Unauthorized) { Headers = { { "WWW-Authenticate", "Basic realm=\"r\"" } } });
        var backend = Open(server, "webdav://dav.example/x", new Dictionary<string, string?>());

        var error = Assert.ThrowsAsync<BackendException>(async () => await backend.ListAsync().CountAsync());
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.PermissionDenied));
        Assert.That(server.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void AStaleDigestNonceIsRenewedButARefusedAnswerIsNot()
    {
        var calls = 0;
        var server = new ScriptedServer(_ => ++calls switch
        {
            1 => Challenge("n1", stale: false),
            2 => Challenge("n2", stale: true),
            _ => Challenge("n3", stale: false),
        });
        var backend = Open(server);

        var error = Assert.ThrowsAsync<BackendException>(async () => await backend.ListAsync().CountAsync());
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.PermissionDenied));
        Assert.That(server.Authorizations[0], Is.Null);
        Assert.That(server.Authorizations[1], Does.StartWith("Digest ").And.Contain("nonce=\"n1\"").And.Contain("nc=00000001").And.Not.Contain("pw"));
        Assert.That(server.Authorizations[2], Does.Contain("nonce=\"n2\""));
        Assert.That(server.Requests, Has.Count.EqualTo(3));

        static HttpResponseMessage Challenge(string nonce, bool stale) => new(HttpStatusCode.Unauthorized)
        {
            Headers = { { "WWW-Authenticate", $"Digest realm=\"r\", nonce=\"{nonce}\", algorithm=MD5, qop=\"auth\"{(stale ? ", stale=true" : "")}" } },
        };
    }

    [Test]
    public void DigestParametersAreParsedWithQuotesAndCommas()
    {
        var parsed = WebDavAuthenticator.ParseParameters("realm=\"a, \\\"b\\\"\", nonce=abc , qop=\"auth,auth-int\", Opaque=\"o\"");

        Assert.That(parsed["realm"], Is.EqualTo("a, \"b\""));
        Assert.That(parsed["nonce"], Is.EqualTo("abc"));
        Assert.That(parsed["qop"], Is.EqualTo("auth,auth-int"));
        Assert.That(parsed["opaque"], Is.EqualTo("o"));
    }

    [Test]
    public void CaOptionsWithAHostHandlerAreRefused()
    {
        using var tmp = new TempFolder();
        var ca = tmp.Sub("ca.pem");
        using (var key = System.Security.Cryptography.ECDsa.Create())
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
            System.IO.File.WriteAllText(ca, certificate.ExportCertificatePem());
        }
        Assert.DoesNotThrowAsync(async () => await WebDavBackend.Open(BackendUrl.Parse("webdavs://u@h/x"), new BackendOpenOptions(), new WebDavBackendOptions { CaCertificateFile = ca }).DisposeAsync());
        Assert.Throws<BackendException>(() => WebDavBackend.Open(BackendUrl.Parse("webdavs://u@h/x"),
            new BackendOpenOptions { HttpMessageHandlerFactory = () => new HttpClientHandler() },
            new WebDavBackendOptions { CaCertificateFile = ca }));
    }

    [Test]
    public void DependencyInjectionAddsTheFourSchemes()
    {
        using var provider = new ServiceCollection().AddDuplicityWebDav().BuildServiceProvider();

        Assert.That(provider.GetRequiredService<BackendRegistry>().Schemes, Is.EquivalentTo(new[] { "file", "webdav", "webdavs", "http", "https" }));
    }
}
