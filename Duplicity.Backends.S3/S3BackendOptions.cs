namespace Duplicity.Backends.S3;

/// <summary>
/// Settings of the S3 backend, one property per duplicity 0.8.22 <c>--s3-*</c> option. The defaults are
/// duplicity's. Call <see cref="Validate"/> (the backend does) to reject contradicting settings.
/// </summary>
public sealed class S3BackendOptions
{
    /// <summary>The default <see cref="MultipartChunkSize"/>: 25 MiB, as duplicity's <c>--s3-multipart-chunk-size</c>.</summary>
    public const long DefaultMultipartChunkSize = 25L * 1024 * 1024;

    /// <summary>The smallest part S3 accepts (except for the last part of an upload): 5 MiB.</summary>
    public const long MinimumMultipartChunkSize = 5L * 1024 * 1024;

    /// <summary>
    /// <c>--s3-endpoint-url</c>: the service URL, e.g. <c>http://127.0.0.1:4568</c> or
    /// <c>https://s3.example.com</c>. Null uses AWS's endpoint for <see cref="RegionName"/>.
    /// </summary>
    public string? EndpointUrl { get; set; }

    /// <summary><c>--s3-region-name</c>. Null takes <c>AWS_REGION</c>/<c>AWS_DEFAULT_REGION</c>, the profile's region, or <c>us-east-1</c>.</summary>
    public string? RegionName { get; set; }

    /// <summary><c>--s3-use-rrs</c>: store in REDUCED_REDUNDANCY.</summary>
    public bool UseReducedRedundancy { get; set; }

    /// <summary><c>--s3-use-ia</c>: store in STANDARD_IA.</summary>
    public bool UseInfrequentAccess { get; set; }

    /// <summary><c>--s3-use-onezone-ia</c>: store in ONEZONE_IA.</summary>
    public bool UseOneZoneInfrequentAccess { get; set; }

    /// <summary><c>--s3-use-glacier</c>: store volumes in GLACIER (manifests stay STANDARD so they stay readable).</summary>
    public bool UseGlacier { get; set; }

    /// <summary><c>--s3-use-glacier-ir</c>: store volumes in GLACIER_IR (manifests stay STANDARD).</summary>
    public bool UseGlacierInstantRetrieval { get; set; }

    /// <summary><c>--s3-use-deep-archive</c>: store volumes in DEEP_ARCHIVE (manifests stay STANDARD).</summary>
    public bool UseDeepArchive { get; set; }

    /// <summary><c>--s3-use-server-side-encryption</c>: ask S3 to encrypt with its own keys (AES256).</summary>
    public bool UseServerSideEncryption { get; set; }

    /// <summary><c>--s3-use-server-side-kms-encryption</c>: encrypt with the KMS key <see cref="KmsKeyId"/>.</summary>
    public bool UseServerSideKmsEncryption { get; set; }

    /// <summary><c>--s3-kms-key-id</c>: the KMS key; required with <see cref="UseServerSideKmsEncryption"/>.</summary>
    public string? KmsKeyId { get; set; }

    /// <summary><c>--s3-kms-grant</c>: an optional full-control grant sent with KMS-encrypted uploads.</summary>
    public string? KmsGrant { get; set; }

    /// <summary>
    /// <c>--s3-multipart-chunk-size</c> in bytes: files larger than this are uploaded in parts of this size.
    /// At least <see cref="MinimumMultipartChunkSize"/> for real S3; smaller values are allowed for test servers.
    /// </summary>
    public long MultipartChunkSize { get; set; } = DefaultMultipartChunkSize;

    /// <summary><c>--s3-multipart-max-procs</c>: how many parts of one file are uploaded at once (memory: this many chunks).</summary>
    public int MultipartMaxConcurrency { get; set; } = 4;

    /// <summary><c>--s3-unencrypted-connection</c>: use http instead of https for <c>s3://host/...</c> URLs and AWS endpoints.</summary>
    public bool UnencryptedConnection { get; set; }

    /// <summary>
    /// Path-style addressing (<c>http://host/bucket/key</c>). Null (default) uses it whenever
    /// <see cref="EndpointUrl"/> or a URL host names a custom endpoint, virtual-host style on AWS.
    /// </summary>
    public bool? ForcePathStyle { get; set; }

    /// <summary>
    /// Sends bodies with a fixed Content-Length and a Content-MD5 instead of the SDK's aws-chunked
    /// encoding. Default true: some S3 servers (s3rver) store aws-chunked framing as object bytes,
    /// and Content-MD5 lets every server reject a corrupted body.
    /// </summary>
    public bool DisableChunkedEncoding { get; set; } = true;

    /// <summary>Per-request timeout; null keeps the SDK's.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// The longest a download may wait for its next bytes before it fails as
    /// <see cref="BackendErrorKind.Transient"/> (a retry then continues it). Default 60 seconds. The SDK's
    /// request timeout (<see cref="Timeout"/>) bounds connecting and the wait for an answer's headers only.
    /// </summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the SDK retries a failed request itself; null keeps the SDK's default.</summary>
    public int? MaxErrorRetry { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> when settings contradict each other or are out of range.</summary>
    public void Validate()
    {
        int classes = Count(UseReducedRedundancy, UseInfrequentAccess, UseOneZoneInfrequentAccess, UseGlacier,
            UseGlacierInstantRetrieval, UseDeepArchive);
        if (classes > 1)
            throw new ArgumentException("Only one S3 storage class option may be used (--s3-use-rrs, --s3-use-ia, --s3-use-onezone-ia, " +
                "--s3-use-glacier, --s3-use-glacier-ir, --s3-use-deep-archive).");
        if (UseServerSideEncryption && UseServerSideKmsEncryption)
            throw new ArgumentException("--s3-use-server-side-encryption and --s3-use-server-side-kms-encryption exclude each other.");
        if (UseServerSideKmsEncryption && string.IsNullOrEmpty(KmsKeyId))
            throw new ArgumentException("S3 server-side KMS encryption was requested, but no key id was given (--s3-kms-key-id).");
        if (MultipartChunkSize < 1)
            throw new ArgumentException("The S3 multipart chunk size must be positive.");
        // S3 allows at most 10,000 parts; a bigger chunk than 5 GiB is refused by S3 itself.
        if (MultipartChunkSize > 5L * 1024 * 1024 * 1024)
            throw new ArgumentException("The S3 multipart chunk size must not exceed 5 GiB.");
        if (ReadTimeout <= TimeSpan.Zero && ReadTimeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentException("The S3 read timeout must be positive.");
        if (MultipartMaxConcurrency < 1)
            throw new ArgumentException("--s3-multipart-max-procs must be at least 1.");
        if (EndpointUrl is not null && !Uri.TryCreate(EndpointUrl, UriKind.Absolute, out _))
            throw new ArgumentException($"--s3-endpoint-url is not an absolute URL: {BackendUrl.Redact(EndpointUrl)}");
    }

    /// <summary>The S3 storage class for a file, as duplicity chooses it (archive classes spare manifests).</summary>
    internal string StorageClassFor(string fileName)
    {
        bool isManifest = fileName.Contains("manifest", StringComparison.Ordinal);
        if (UseReducedRedundancy) return "REDUCED_REDUNDANCY";
        if (UseInfrequentAccess) return "STANDARD_IA";
        if (UseOneZoneInfrequentAccess) return "ONEZONE_IA";
        if (UseGlacier && !isManifest) return "GLACIER";
        if (UseGlacierInstantRetrieval && !isManifest) return "GLACIER_IR";
        if (UseDeepArchive && !isManifest) return "DEEP_ARCHIVE";
        return "STANDARD";
    }

    /// <summary>A copy, so a backend is not affected by later changes to the caller's instance.</summary>
    internal S3BackendOptions Clone() => (S3BackendOptions)MemberwiseClone();

    private static int Count(params bool[] flags)
    {
        int n = 0;
        foreach (var f in flags) if (f) n++;
        return n;
    }
}
