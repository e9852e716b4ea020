using System.Net;
using Duplicity.Backends;
using Duplicity.Backends.S3;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.S3;

/// <summary>
/// An S3 download whose connection goes silent fails after the read timeout as a transient error (which a retry
/// continues) instead of waiting forever: the SDK's own timeout ends with the answer's headers.
/// </summary>
[Category("Unit")]
public class S3ReadTimeoutTests
{
    [Test]
    public async Task ADownloadThatStallsFailsAfterTheReadTimeout()
    {
        var handler = new StallingObjectHandler(headBytes: 100, announced: 1000);
        var options = new S3BackendOptions { EndpointUrl = "http://s3.invalid", RegionName = "us-east-1", ReadTimeout = TimeSpan.FromMilliseconds(300) };
        await using var backend = S3Backend.Open(BackendUrl.Parse("boto3+s3://main/p"), new BackendOpenOptions
        {
            Environment = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "k", ["AWS_SECRET_ACCESS_KEY"] = "s" },
            HttpMessageHandlerFactory = () => handler,
        }, options);

        await using var stream = await backend.GetAsync("vol1");
        var error = Assert.ThrowsAsync<BackendException>(() => stream.CopyToAsync(Stream.Null));

        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Transient));
        Assert.That(error.Message, Does.Contain("received nothing"));
    }

    /// <summary>Answers every GET with headers announcing a body, sends part of it, then nothing.</summary>
    private sealed class StallingObjectHandler(int headBytes, long announced) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(new StallingStream(new byte[headBytes]));
            content.Headers.ContentLength = announced;
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
            response.Headers.TryAddWithoutValidation("ETag", "\"00000000000000000000000000000000\"");
            return Task.FromResult(response);
        }
    }
}
