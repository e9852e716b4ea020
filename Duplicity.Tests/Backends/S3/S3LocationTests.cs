using Duplicity.Backends;
using Duplicity.Backends.S3;

namespace Duplicity.Tests.Backends.S3;

[Category("Unit")]
public class S3LocationTests
{
    [TestCase("boto3+s3://bucket/some/prefix", "bucket", "some/prefix/")]
    [TestCase("boto3+s3://bucket", "bucket", "")]
    [TestCase("boto3+s3://bucket/", "bucket", "")]
    [TestCase("boto3+s3://MyBucket//My///My/Prefix/", "MyBucket", "My/My/Prefix/")]
    [TestCase("s3+http://bucket/prefix", "bucket", "prefix/")]
    [TestCase("s3://bucket/prefix", "bucket", "prefix/")]
    [TestCase("s3://bucket", "bucket", "")]
    [TestCase("s3://my.dotted.bucket", "my.dotted.bucket", "")]
    public void BucketFirstForms(string url, string bucket, string prefix)
    {
        var location = S3Location.FromUrl(BackendUrl.Parse(url), new S3BackendOptions());

        Assert.That(location, Is.EqualTo(new S3Location(bucket, prefix, null)));
        Assert.That(location.KeyOf("f.gpg"), Is.EqualTo(prefix + "f.gpg"));
    }

    [TestCase("s3://s3.eu-west-1.amazonaws.com/bucket/a/b", false, "https://s3.eu-west-1.amazonaws.com", "bucket", "a/b/")]
    [TestCase("s3://127.0.0.1:4568/bucket", true, "http://127.0.0.1:4568", "bucket", "")]
    [TestCase("s3://localhost/bucket/p", false, "https://localhost", "bucket", "p/")]
    [TestCase("s3://[::1]:9000/bucket/p", true, "http://[::1]:9000", "bucket", "p/")]
    public void HostFirstFormOfTheBotoBackend(string url, bool unencrypted, string serviceUrl, string bucket, string prefix)
    {
        var location = S3Location.FromUrl(BackendUrl.Parse(url), new S3BackendOptions { UnencryptedConnection = unencrypted });

        Assert.That(location, Is.EqualTo(new S3Location(bucket, prefix, serviceUrl)));
    }

    [Test]
    public void AnEndpointOptionMakesS3UrlsBucketFirst()
    {
        var options = new S3BackendOptions { EndpointUrl = "http://127.0.0.1:1" };
        var location = S3Location.FromUrl(BackendUrl.Parse("s3://my.dotted.bucket/prefix"), options);

        Assert.That(location, Is.EqualTo(new S3Location("my.dotted.bucket", "prefix/", "http://127.0.0.1:1")));
    }

    [TestCase("boto3+s3:///")]
    [TestCase("s3+http://")]
    [TestCase("s3://127.0.0.1:9000/")]
    public void AUrlWithoutBucketIsABadUrl(string url)
    {
        var error = Assert.Throws<DuplicityException>(() => S3Location.FromUrl(BackendUrl.Parse(url), new S3BackendOptions()));
        Assert.That(error!.Code, Is.EqualTo(DuplicityErrorCode.BadUrl));
    }
}
