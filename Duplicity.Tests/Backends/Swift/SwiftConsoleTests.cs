namespace Duplicity.Tests.Backends.Swift;

/// <summary>The console over swift:// (SWIFT_* environment) and over Swift's S3 API (AWS_* environment).</summary>
[Category("Server")]
[TestFixture]
public class SwiftConsoleTests
{
    [Test]
    public async Task FullAndRestoreOverSwiftWithSegmentSize()
    {
        var servers = await SwiftTestServers.GetAsync();
        var container = $"console{Guid.NewGuid():N}";

        // --mp-segment-size 1: the 2 MiB volumes become Static Large Objects of 1 MiB segments.
        await ConsoleRoundTrip.BackupAndRestoreAsync($"swift://{container}/prefix", servers.V1Environment(),
            "--mp-segment-size", "1", "--num-retries", "2", "--backend-retry-delay", "1");

        using var account = await SwiftAccount.LoginV1Async(servers);
        var segments = await account.ListAsync(container + "_segments");
        Assert.That(segments, Has.Count.GreaterThanOrEqualTo(2), "the big volume went up in segments");
        Assert.That(await account.ListAsync(container), Has.Some.Match(@"^prefix/duplicity-full\..*\.vol2\.difftar\.gz$"));
    }

    [Test]
    public async Task FullAndRestoreOverSwiftsS3Api()
    {
        var servers = await SwiftTestServers.GetAsync();
        var bucket = $"console-{Guid.NewGuid():N}"[..30];
        await SwiftS3Api.CreateBucketAsync(servers, bucket);
        var environment = SwiftS3Api.OpenOptions(servers).Environment;

        // s3api checks every SigV4 signature and Content-MD5 the console's requests carry (s3rver checks neither).
        await ConsoleRoundTrip.BackupAndRestoreAsync($"boto3+s3://{bucket}/p", environment,
            "--s3-endpoint-url", servers.S3Endpoint, "--s3-region-name", "us-east-1");
    }

    [Test]
    public async Task AWrongS3SecretExitsWithPermissionDeniedWithoutRetrying()
    {
        var servers = await SwiftTestServers.GetAsync();
        using var tmp = new Support.TempFolder();
        Directory.CreateDirectory(tmp.Sub("src"));
        var environment = SwiftS3Api.OpenOptions(servers, secret: "wrong-secret-123").Environment;

        var (code, output, err) = await ConsoleRoundTrip.RunAsync(environment, "full", "--no-encryption", "--archive-dir", tmp.Sub("cache"),
            "--s3-endpoint-url", servers.S3Endpoint, tmp.Sub("src"), "boto3+s3://nobucket-wrongkey/p");

        Assert.That(code, Is.EqualTo((int)DuplicityErrorCode.BackendPermissionDenied), err + output);
        Assert.That(err, Does.Contain("SignatureDoesNotMatch").And.Not.Contain("wrong-secret-123"));
        Assert.That(output + err, Does.Not.Contain("Nr. 1 failed"), "not retried");
    }
}
