using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Duplicity.Backends.S3;

/// <summary>Builds the SDK client for a location: endpoint, region, addressing style, checksum mode.</summary>
internal static class S3ClientFactory
{
    public static AmazonS3Client Create(S3Location location, S3BackendOptions options, AWSCredentials? credentials, string? region,
        Func<HttpMessageHandler>? handlerFactory)
    {
        var config = new AmazonS3Config
        {
            // Content-MD5 is sent by the backend itself; the SDK's default CRC32 trailer needs aws-chunked bodies.
            RequestChecksumCalculation = options.DisableChunkedEncoding
                ? RequestChecksumCalculation.WHEN_REQUIRED
                : RequestChecksumCalculation.WHEN_SUPPORTED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        var regionName = options.RegionName ?? region ?? "us-east-1";
        if (location.ServiceUrl is { } serviceUrl)
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = regionName;
            config.ForcePathStyle = options.ForcePathStyle ?? true;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(regionName);
            config.ForcePathStyle = options.ForcePathStyle ?? false;
            config.UseHttp = options.UnencryptedConnection;
        }
        if (options.Timeout is { } timeout)
            config.Timeout = timeout;
        if (options.MaxErrorRetry is { } retries)
            config.MaxErrorRetry = retries;
        if (handlerFactory is not null)
            config.HttpClientFactory = new HostHttpClientFactory(handlerFactory);
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }
}
