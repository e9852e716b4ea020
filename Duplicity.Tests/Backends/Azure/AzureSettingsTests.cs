using Azure;
using Duplicity.Backends;
using Duplicity.Backends.Azure;

namespace Duplicity.Tests.Backends.Azure;

/// <summary>URL forms, options, credentials and error kinds of the Azure backend, without a server.</summary>
[Category("Unit")]
public class AzureSettingsTests
{
    [TestCase("azure://backups", "backups")]
    [TestCase("azure://my-backups-2", "my-backups-2")]
    [TestCase("azure://abc", "abc")]
    public void TheUrlNamesTheContainer(string url, string container)
    {
        Assert.That(AzureLocation.ContainerOf(BackendUrl.Parse(url)), Is.EqualTo(container));
    }

    // As duplicity 0.8.22: the whole rest of the URL is the container name, checked against Azure's rules.
    [TestCase("azure://backups/prefix")]
    [TestCase("azure://Backups")]
    [TestCase("azure://ab")]
    [TestCase("azure://a--b")]
    [TestCase("azure://-ab")]
    [TestCase("azure://")]
    public void AnInvalidContainerIsABadUrl(string url)
    {
        var error = Assert.Throws<DuplicityException>(() => AzureLocation.ContainerOf(BackendUrl.Parse(url)));
        Assert.That(error!.Code, Is.EqualTo(DuplicityErrorCode.BadUrl));
    }

    [Test]
    public void NoCredentialsIsAPermanentErrorNamingTheVariable()
    {
        var error = Assert.Throws<BackendException>(() => AzureBackend.Open(BackendUrl.Parse("azure://backups"),
            new BackendOpenOptions { Environment = new Dictionary<string, string?>() }));
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
        Assert.That(error.Message, Does.Contain("AZURE_CONNECTION_STRING"));
    }

    [Test]
    public void ABrokenConnectionStringIsRefusedWithoutQuotingIt()
    {
        const string broken = "AccountName=x;AccountKey=c2VjcmV0LXNlY3JldA==;Nonsense";
        var error = Assert.Throws<BackendException>(() => AzureBackend.Open(BackendUrl.Parse("azure://backups"),
            new BackendOpenOptions { Environment = new Dictionary<string, string?> { ["AZURE_CONNECTION_STRING"] = broken } }));
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
        Assert.That(error.ToString(), Does.Not.Contain("c2VjcmV0LXNlY3JldA=="));
    }

    [TestCase(0L, 4L * 1024 * 1024, 1)]
    [TestCase(64L * 1024 * 1024, 0L, 1)]
    [TestCase(64L * 1024 * 1024, 4001L * 1024 * 1024, 1)]
    [TestCase(64L * 1024 * 1024, 4L * 1024 * 1024, 0)]
    public void OutOfRangeOptionsAreRefused(long singlePut, long block, int connections)
    {
        var options = new AzureBackendOptions { MaxSinglePutSize = singlePut, MaxBlockSize = block, MaxConnections = connections };
        Assert.Throws<ArgumentException>(options.Validate);
        Assert.Throws<ArgumentException>(() => new BackendRegistry().AddAzure(options));
    }

    [TestCase(404, "BlobNotFound", BackendErrorKind.NotFound)]
    [TestCase(404, "ContainerNotFound", BackendErrorKind.NotFound)]
    [TestCase(403, "AuthenticationFailed", BackendErrorKind.PermissionDenied)]
    [TestCase(403, "AuthorizationPermissionMismatch", BackendErrorKind.PermissionDenied)]
    [TestCase(409, "BlobArchived", BackendErrorKind.PermissionDenied)]
    [TestCase(503, "ServerBusy", BackendErrorKind.Transient)]
    [TestCase(500, "InternalError", BackendErrorKind.Transient)]
    [TestCase(400, "Md5Mismatch", BackendErrorKind.Transient)]
    [TestCase(429, null, BackendErrorKind.Transient)]
    [TestCase(0, null, BackendErrorKind.Transient)]
    [TestCase(400, "InvalidBlobOrBlock", BackendErrorKind.Permanent)]
    public void ServiceErrorsGetTheirKind(int status, string? code, BackendErrorKind kind)
    {
        var failure = new RequestFailedException(status, "the service said no", code, null);
        var error = AzureErrorTranslator.Translate(failure, "upload of f", " at azure://c", CancellationToken.None);
        Assert.That(error!.Kind, Is.EqualTo(kind));
        Assert.That(error.InnerException, Is.SameAs(failure));
    }

    [Test]
    public void TheCallersCancellationAndArgumentErrorsAreNotTranslated()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.That(AzureErrorTranslator.Translate(new OperationCanceledException(), "x", "", cancelled.Token), Is.Null);
        Assert.That(AzureErrorTranslator.Translate(new ArgumentException("x"), "x", "", CancellationToken.None), Is.Null);
        Assert.That(AzureErrorTranslator.Translate(new OperationCanceledException(), "x", "", CancellationToken.None)!.Kind,
            Is.EqualTo(BackendErrorKind.Transient), "the SDK's own timeout");
    }
}
