using Amazon.S3.Model;
using Duplicity.Backends;
using Duplicity.Backends.S3;
using Duplicity.Tests.Backends.S3;

namespace Duplicity.Tests.Backends.Swift;

/// <summary>
/// The S3 backend contract against Swift's S3 API, which, unlike s3rver, checks SigV4 signatures and
/// Content-MD5, refuses aws-chunked bodies and small non-final parts. Each test under a fresh prefix.
/// </summary>
[Category("Server")]
[TestFixture]
public class SwiftS3ApiConformanceTests : BackendConformanceTests
{
    private const string Bucket = "conformance";
    private static readonly Lazy<Task> BucketCreated = new(async () =>
        await SwiftS3Api.CreateBucketAsync(await SwiftTestServers.GetAsync(), Bucket));

    protected override async Task<IBackend> CreateBackendAsync()
    {
        var servers = await SwiftTestServers.GetAsync();
        await BucketCreated.Value;
        return SwiftS3Api.Open(servers, Bucket, $"run/{Guid.NewGuid():N}");
    }
}

/// <summary>What s3rver cannot show: signature checks and real multipart bookkeeping.</summary>
[Category("Server")]
[TestFixture]
public class SwiftS3ApiTests
{
    private const string Bucket = "s3api-tests";
    private SwiftTestServers _servers = null!;

    [OneTimeSetUp]
    public async Task CreateBucketAsync()
    {
        _servers = await SwiftTestServers.GetAsync();
        await SwiftS3Api.CreateBucketAsync(_servers, Bucket);
    }

    [Test]
    public async Task AWrongSecretKeyIsPermissionDeniedWithoutTheSecret()
    {
        const string wrong = "not-the-secret-xyz";
        await using var backend = SwiftS3Api.Open(_servers, Bucket, "wrong", secret: wrong);

        var listing = Assert.ThrowsAsync<BackendException>(async () => await backend.ListAsync().CountAsync());
        var upload = Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("f", new MemoryStream([1, 2, 3])));

        foreach (var error in new[] { listing!, upload! })
        {
            Assert.That(error.Kind, Is.EqualTo(BackendErrorKind.PermissionDenied), error.Message);
            Assert.That(error.Code, Is.EqualTo(DuplicityErrorCode.BackendPermissionDenied));
            Assert.That(error.Message, Does.Contain("SignatureDoesNotMatch"));
            Assert.That(error.Message, Does.Not.Contain(wrong).And.Not.Contain(_servers.S3SecretKey));
        }
    }

    [Test]
    public async Task AMultipartUploadIsAssembledInOrderAndLeavesNoPendingUpload()
    {
        var data = new byte[12 * SwiftS3Api.MiB + 4321];
        new Random(11).NextBytes(data);
        using var real = SwiftS3Api.CreateClient(_servers);
        var (client, recorder) = RecordingS3Client.Wrap(real);
        var options = SwiftS3Api.Options(_servers);
        options.MultipartMaxConcurrency = 3;
        await using var backend = new S3Backend(client, Bucket, "multipart", options);

        await backend.PutAsync("big.difftar.gz", new ScriptedSourceStream(data));

        Assert.That(recorder.Calls.Count(c => c == "UploadPartAsync"), Is.EqualTo(3), "5 MiB + 5 MiB + tail");
        var head = await real.GetObjectMetadataAsync(Bucket, "multipart/big.difftar.gz");
        Assert.That(head.ContentLength, Is.EqualTo(data.Length));
        Assert.That(head.ETag.Trim('"'), Does.EndWith("-3"), "s3api stores it as a 3-part object");
        Assert.That(await ReadAllAsync(backend, "big.difftar.gz"), Is.EqualTo(data));
        var pending = await real.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = "multipart/" });
        Assert.That(pending.MultipartUploads ?? [], Is.Empty);
    }

    [Test]
    public async Task AFailingSourceAbortsTheMultipartUploadOnTheServer()
    {
        using var real = SwiftS3Api.CreateClient(_servers);
        await using var backend = new S3Backend(real, Bucket, "aborted", SwiftS3Api.Options(_servers));
        var failure = new IOException("disk gone");
        var data = new byte[12 * SwiftS3Api.MiB];
        var source = new ScriptedSourceStream(data) { TriggerAfter = 7 * SwiftS3Api.MiB, Failure = failure };

        Assert.That(Assert.CatchAsync(() => backend.PutAsync("f", source)), Is.SameAs(failure));

        // s3rver cannot list multipart uploads; s3api can, so "aborted" is checked on the server itself.
        var pending = await real.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = "aborted/" });
        Assert.That(pending.MultipartUploads ?? [], Is.Empty);
        Assert.That(await backend.ListAsync().CountAsync(), Is.Zero);
    }

    private static async Task<byte[]> ReadAllAsync(S3Backend backend, string name)
    {
        await using var stream = await backend.GetAsync(name);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
