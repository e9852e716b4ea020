using System.Net;

namespace Duplicity.Backends.S3;

/// <summary>Where a backend URL points: the bucket, the key prefix and (for custom servers) the service URL.</summary>
/// <param name="Bucket">The bucket name, case preserved.</param>
/// <param name="Prefix">The key prefix: empty, or the URL's folder parts joined by <c>/</c> with a trailing <c>/</c>.</param>
/// <param name="ServiceUrl">The endpoint to talk to, or null for AWS's endpoint of the region.</param>
internal sealed record S3Location(string Bucket, string Prefix, string? ServiceUrl)
{
    /// <summary>
    /// Reads a URL the way duplicity 0.8.22 does: <c>boto3+s3://bucket/prefix</c> and <c>s3+http://bucket/prefix</c>
    /// name the bucket first; <c>s3://host[:port]/bucket/prefix</c> (the boto backend's form) names the server
    /// first. <c>s3://bucket/prefix</c> (the form later duplicity versions use) is read as bucket-first when
    /// an endpoint option is set, or when the first part cannot be a server: no port, IP or <c>localhost</c>, and
    /// no dot unless a path follows.
    /// Empty path parts are dropped, as duplicity does (<c>//b//p///q/</c> = bucket b, prefix <c>p/q/</c>).
    /// </summary>
    public static S3Location FromUrl(BackendUrl url, S3BackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme == "s3" && options.EndpointUrl is null && url.Host is { } host && NamesAServer(url))
        {
            var parts = SplitParts(url.Path);
            if (parts.Length == 0)
                throw new DuplicityException(DuplicityErrorCode.BadUrl, $"S3 requires a bucket name: {url}");
            var scheme = options.UnencryptedConnection ? "http" : "https";
            var authority = host.Contains(':') ? $"[{host}]" : host;
            var serviceUrl = url.Port is { } port ? $"{scheme}://{authority}:{port}" : $"{scheme}://{authority}";
            return new S3Location(parts[0], JoinPrefix(parts), serviceUrl);
        }

        var bucketFirst = SplitParts(url.HostAndPath);
        if (bucketFirst.Length == 0)
            throw new DuplicityException(DuplicityErrorCode.BadUrl, $"S3 requires a bucket name: {url}");
        return new S3Location(bucketFirst[0], JoinPrefix(bucketFirst), options.EndpointUrl);
    }

    /// <summary>The full object key of a backend file name.</summary>
    public string KeyOf(string name) => Prefix + name;

    private static bool NamesAServer(BackendUrl url)
    {
        var host = url.Host!;
        if (url.Port is not null || host == "localhost" || IPAddress.TryParse(host, out _))
            return true;   // never a bucket name
        // A dotted name alone (s3://my.bucket) can only be a bucket; followed by a path it is the boto form.
        return host.Contains('.') && SplitParts(url.Path).Length > 0;
    }

    private static string[] SplitParts(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static string JoinPrefix(string[] parts) =>
        parts.Length <= 1 ? "" : string.Join('/', parts, 1, parts.Length - 1) + "/";
}
