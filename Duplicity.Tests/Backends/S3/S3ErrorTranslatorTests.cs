using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Duplicity.Backends;
using Duplicity.Backends.S3;

namespace Duplicity.Tests.Backends.S3;

[Category("Unit")]
public class S3ErrorTranslatorTests
{
    [TestCase("NoSuchKey", HttpStatusCode.NotFound, BackendErrorKind.NotFound)]
    [TestCase("AccessDenied", HttpStatusCode.Forbidden, BackendErrorKind.PermissionDenied)]
    [TestCase("InvalidAccessKeyId", HttpStatusCode.Forbidden, BackendErrorKind.PermissionDenied)]
    [TestCase("SignatureDoesNotMatch", HttpStatusCode.Forbidden, BackendErrorKind.PermissionDenied)]
    [TestCase("", HttpStatusCode.Forbidden, BackendErrorKind.PermissionDenied)]
    [TestCase("InternalError", HttpStatusCode.InternalServerError, BackendErrorKind.Transient)]
    [TestCase("", HttpStatusCode.ServiceUnavailable, BackendErrorKind.Transient)]
    [TestCase("SlowDown", HttpStatusCode.ServiceUnavailable, BackendErrorKind.Transient)]
    [TestCase("RequestTimeout", HttpStatusCode.BadRequest, BackendErrorKind.Transient)]
    [TestCase("InvalidStorageClass", HttpStatusCode.BadRequest, BackendErrorKind.Permanent)]
    [TestCase("", HttpStatusCode.NotFound, BackendErrorKind.NotFound)]
    public void ServiceErrorsMapToKinds(string code, HttpStatusCode status, BackendErrorKind kind)
    {
        var error = Translate(new AmazonS3Exception("boom") { ErrorCode = code, StatusCode = status });
        Assert.That(error!.Kind, Is.EqualTo(kind));
        Assert.That(error.Code, Is.EqualTo(BackendException.CodeFor(kind)));
    }

    [Test]
    public void NoSuchBucketNamesTheBucket()
    {
        var error = Translate(new AmazonS3Exception("The specified bucket does not exist") { ErrorCode = "NoSuchBucket", StatusCode = HttpStatusCode.NotFound });
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.NotFound));
        Assert.That(error.Message, Does.StartWith("S3 bucket \"bkt\" does not exist"));
    }

    [Test]
    public void NetworkFailuresAndTimeoutsAreTransient()
    {
        Assert.That(Translate(new HttpRequestException("connection refused"))!.Kind, Is.EqualTo(BackendErrorKind.Transient));
        Assert.That(Translate(new IOException("reset"))!.Kind, Is.EqualTo(BackendErrorKind.Transient));
        Assert.That(Translate(new TaskCanceledException("timeout"))!.Kind, Is.EqualTo(BackendErrorKind.Transient));
        Assert.That(Translate(new AmazonClientException("wrapped", new HttpRequestException("refused")))!.Kind, Is.EqualTo(BackendErrorKind.Transient));
    }

    [Test]
    public void AResponseBodyDamagedInTransitIsTransient()
    {
        // What the SDK's unmarshaller throws for a listing with a flipped byte (seen through the fault proxy).
        var damaged = new System.Xml.XmlException("The 'Contents' start tag on line 2 position 963 does not match the end tag of 'StorageClass'.");
        Assert.That(Translate(damaged)!.Kind, Is.EqualTo(BackendErrorKind.Transient));
        Assert.That(Translate(new AmazonUnmarshallingException("req", "last", damaged, System.Net.HttpStatusCode.OK))!.Kind, Is.EqualTo(BackendErrorKind.Transient));
    }

    [Test]
    public void AValueDamagedInTransitIsTransient()
    {
        // What the SDK threw in CI for a listing whose LastModified had a flipped bit (fault proxy, seed 303).
        var damaged = new FormatException("String '2026-12-03T11:4::49.000Z' was not recognized as a valid DateTime.");
        var error = Translate(damaged)!;
        Assert.That(error.Kind, Is.EqualTo(BackendErrorKind.Transient));
        Assert.That(error.Message, Does.Contain("cannot be read"));
        Assert.That(Translate(new AmazonUnmarshallingException("req", "last", damaged, System.Net.HttpStatusCode.OK))!.Kind, Is.EqualTo(BackendErrorKind.Transient));
        Assert.That(Translate(new OverflowException("Value was either too large or too small for an Int64."))!.Kind, Is.EqualTo(BackendErrorKind.Transient));
    }

    [Test]
    public void TheCallersCancellationAndArgumentErrorsPassThrough()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.That(S3ErrorTranslator.Translate(new OperationCanceledException(), "x", "bkt", "s3://bkt/", cancelled.Token), Is.Null);
        Assert.That(Translate(new ArgumentException("bad name")), Is.Null);
        Assert.That(Translate(new BackendException(BackendErrorKind.NotFound, "already typed")), Is.Null);
    }

    [Test]
    public void PasswordsInMessagesAreRedacted()
    {
        var error = Translate(new HttpRequestException("failed for http://key:TOPSECRET@host/bucket"));
        Assert.That(error!.Message, Does.Not.Contain("TOPSECRET"));
        Assert.That(error.Message, Does.Contain("***"));
    }

    [Test]
    public void ClientConfigurationErrorsArePermanent()
    {
        Assert.That(Translate(new AmazonClientException("Unable to get IAM security credentials"))!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
    }

    private static BackendException? Translate(Exception e) => S3ErrorTranslator.Translate(e, "test", "bkt", "s3://bkt/", CancellationToken.None);
}
