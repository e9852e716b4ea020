using System.Net;
using System.Security.Cryptography;
using Duplicity.Backends;
using Duplicity.Backends.Swift;
using Duplicity.Tests.Support;

#pragma warning disable CA5351 // Swift's ETags are MD5s: the tests compute what Swift would.

namespace Duplicity.Tests.Backends.Swift;

/// <summary>
/// What Swift answers is checked: an ETag that is not the MD5 of the bytes sent or received, and a download that
/// stalls, fail with typed errors. A scripted HTTP handler plays a Swift server that misbehaves.
/// </summary>
[Category("Unit")]
public class SwiftIntegrityTests
{
    private static readonly byte[] Body = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();

    private static string Md5(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));

    private static SwiftBackend Open(ScriptedSwift server, SwiftBackendOptions? options = null) =>
        SwiftBackend.Open(BackendUrl.Parse("swift://c"), new BackendOpenOptions
        {
            Environment = new Dictionary<string, string?> { ["SWIFT_PREAUTHURL"] = "http://swift.invalid/v1/AUTH_t", ["SWIFT_PREAUTHTOKEN"] = "tok" },
            HttpMessageHandlerFactory = () => server,
        }, options);

    [Test]
    public async Task ADownloadWhoseBodyDoesNotMatchItsETagFails()
    {
        var server = new ScriptedSwift { Get = _ => Answer(Body, etag: Md5([1, 2, 3])) };
        await using var backend = Open(server);

        await using var stream = await backend.GetAsync("vol1");
        var error = Assert.ThrowsAsync<BackendException>(() => stream.CopyToAsync(Stream.Null));

        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
        Assert.That(error.Message, Does.Contain("corrupt"));
    }

    [Test]
    public async Task ADownloadThatMatchesItsETagReadsThrough()
    {
        var server = new ScriptedSwift { Get = _ => Answer(Body, etag: Md5(Body)) };
        await using var backend = Open(server);

        await using var stream = await backend.GetAsync("vol1");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);

        Assert.That(copy.ToArray(), Is.EqualTo(Body));
    }

    [Test]
    public async Task ALargeObjectIsCheckedSegmentBySegment()
    {
        var first = Body[..3000];
        var second = Body[3000..];
        var manifest = $"[{{\"hash\":\"{Md5(first)}\",\"bytes\":3000}},{{\"hash\":\"{Md5([9])}\",\"bytes\":2000}}]";
        var etag = Convert.ToHexStringLower(MD5.HashData(System.Text.Encoding.ASCII.GetBytes(Md5(first) + Md5([9]))));
        var server = new ScriptedSwift
        {
            Get = request => request.RequestUri!.Query.Contains("multipart-manifest=get")
                ? Answer(System.Text.Encoding.UTF8.GetBytes(manifest), etag: null)
                : Answer(Body, etag: $"\"{etag}\"", largeObject: true),
        };
        await using var backend = Open(server);

        await using var stream = await backend.GetAsync("vol1");
        var error = Assert.ThrowsAsync<BackendException>(() => stream.CopyToAsync(Stream.Null));

        Assert.That(error!.Message, Does.Contain("segment 2"));
    }

    [Test]
    public async Task AnUploadStoredWithAnotherETagIsDeletedAndReportedTransient()
    {
        var server = new ScriptedSwift { PutETag = _ => Md5([4, 5, 6]) };
        await using var backend = Open(server);

        var error = Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("vol1", new MemoryStream(Body)));

        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Transient), "sending again may well succeed");
        Assert.That(error.Message, Does.Contain(Md5(Body)));
        Assert.That(server.Deleted, Has.Member("/v1/AUTH_t/c/vol1"));
    }

    [Test]
    public async Task AnUploadStoredWithItsMd5Succeeds()
    {
        var server = new ScriptedSwift { PutETag = sent => Md5(sent) };
        await using var backend = Open(server);

        await backend.PutAsync("vol1", new MemoryStream(Body));

        Assert.That(server.Deleted, Is.Empty);
    }

    [Test]
    public async Task ADownloadThatStallsFailsAfterTheReadTimeout()
    {
        var server = new ScriptedSwift { Get = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new StallingStream(Body[..100])) } };
        await using var backend = Open(server, new SwiftBackendOptions { ReadTimeout = TimeSpan.FromMilliseconds(300) });

        await using var stream = await backend.GetAsync("vol1");
        var error = Assert.ThrowsAsync<BackendException>(() => stream.CopyToAsync(Stream.Null));

        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Transient));
        Assert.That(error.Message, Does.Contain("received nothing"));
    }

    private static HttpResponseMessage Answer(byte[] body, string? etag, bool largeObject = false)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        if (etag is not null)
            response.Headers.TryAddWithoutValidation("ETag", etag);
        if (largeObject)
            response.Headers.TryAddWithoutValidation("X-Static-Large-Object", "True");
        return response;
    }

    /// <summary>Plays Swift: the container exists, GETs and PUTs answer as scripted, DELETEs are recorded.</summary>
    private sealed class ScriptedSwift : HttpMessageHandler
    {
        public Func<HttpRequestMessage, HttpResponseMessage> Get { get; init; } = _ => new HttpResponseMessage(HttpStatusCode.NotFound);
        public Func<byte[], string> PutETag { get; init; } = _ => "";
        public List<string> Deleted { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get)
                return Get(request);
            if (request.Method == HttpMethod.Head)
                return new HttpResponseMessage(HttpStatusCode.NoContent);
            if (request.Method == HttpMethod.Delete)
            {
                lock (Deleted) Deleted.Add(request.RequestUri!.AbsolutePath);
                return new HttpResponseMessage(HttpStatusCode.NoContent);
            }
            var sent = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var response = new HttpResponseMessage(HttpStatusCode.Created);
            response.Headers.TryAddWithoutValidation("ETag", PutETag(sent));
            return response;
        }
    }
}
