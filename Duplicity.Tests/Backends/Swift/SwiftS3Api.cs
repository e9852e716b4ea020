using Amazon.Runtime;
using Amazon.S3;
using Duplicity.Backends;
using Duplicity.Backends.S3;

namespace Duplicity.Tests.Backends.Swift;

/// <summary>
/// The S3 backend's view of the shared Swift instance's S3 API (tempauth user test:tester). Lives in the
/// Swift namespace so the servers are stopped by <see cref="SwiftServersTearDown"/> after its tests.
/// </summary>
internal static class SwiftS3Api
{
    public const int MiB = 1024 * 1024;

    public static BackendOpenOptions OpenOptions(SwiftTestServers servers, string? secret = null) => new()
    {
        Environment = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = servers.S3AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = secret ?? servers.S3SecretKey,
        },
    };

    /// <summary>s3api refuses parts under 5 MiB that are not the last, so the chunk is never smaller.</summary>
    public static S3BackendOptions Options(SwiftTestServers servers, long chunkSize = S3BackendOptions.MinimumMultipartChunkSize) =>
        new() { EndpointUrl = servers.S3Endpoint, RegionName = "us-east-1", MultipartChunkSize = chunkSize };

    public static S3Backend Open(SwiftTestServers servers, string bucket, string prefix, S3BackendOptions? options = null, string? secret = null) =>
        S3Backend.Open(BackendUrl.Parse($"boto3+s3://{bucket}/{prefix}"), OpenOptions(servers, secret), options ?? Options(servers));

    public static AmazonS3Client CreateClient(SwiftTestServers servers) => new(
        new BasicAWSCredentials(servers.S3AccessKey, servers.S3SecretKey),
        new AmazonS3Config
        {
            ServiceURL = servers.S3Endpoint,
            AuthenticationRegion = "us-east-1",
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    /// <summary>Creates a bucket (the backend never does, as duplicity's boto3 backend).</summary>
    public static async Task CreateBucketAsync(SwiftTestServers servers, string bucket)
    {
        using var client = CreateClient(servers);
        await client.PutBucketAsync(bucket);
    }
}
