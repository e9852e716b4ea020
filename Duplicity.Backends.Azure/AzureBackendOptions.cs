using Azure.Storage.Blobs.Models;

namespace Duplicity.Backends.Azure;

/// <summary>
/// Settings of the Azure backend, one property per duplicity 0.8.22 <c>--azure-*</c> option plus the
/// timeouts. The size defaults are those of the Azure SDK duplicity uses (64 MiB single puts, 4 MiB blocks).
/// Call <see cref="Validate"/> (the backend does) to reject settings Azure would refuse.
/// </summary>
public sealed class AzureBackendOptions
{
    /// <summary>The default <see cref="MaxSinglePutSize"/>: 64 MiB.</summary>
    public const long DefaultMaxSinglePutSize = 64L * 1024 * 1024;

    /// <summary>The default <see cref="MaxBlockSize"/>: 4 MiB.</summary>
    public const long DefaultMaxBlockSize = 4L * 1024 * 1024;

    /// <summary>The largest block Azure accepts: 4000 MiB.</summary>
    public const long MaximumBlockSize = 4000L * 1024 * 1024;

    /// <summary>The largest single-request upload Azure accepts: 5000 MiB.</summary>
    public const long MaximumSinglePutSize = 5000L * 1024 * 1024;

    /// <summary>
    /// <c>--azure-blob-tier</c>: the access tier every uploaded blob gets (<c>Hot</c>, <c>Cool</c>,
    /// <c>Cold</c> or <c>Archive</c>); null leaves the account's default tier. Note that blobs in the
    /// Archive tier cannot be read until they are rehydrated, as with duplicity.
    /// </summary>
    public AccessTier? BlobTier { get; set; }

    /// <summary>
    /// <c>--azure-max-single-put-size</c> in bytes: a file up to this size is stored in one request, a
    /// larger one as blocks committed together at the end. Memory: one buffer of this size per upload.
    /// </summary>
    public long MaxSinglePutSize { get; set; } = DefaultMaxSinglePutSize;

    /// <summary><c>--azure-max-block-size</c> in bytes: the size of each block of a larger file (at most 50,000 blocks).</summary>
    public long MaxBlockSize { get; set; } = DefaultMaxBlockSize;

    /// <summary>
    /// <c>--azure-max-connections</c>: how many blocks of one file are sent at once. Default 4; duplicity's
    /// Azure SDK sends one at a time unless the option is given.
    /// </summary>
    public int MaxConnections { get; set; } = 4;

    /// <summary>
    /// <c>--timeout</c>: the longest one request, or a download's wait for its next bytes, may take before it
    /// fails (the SDK then retries it, see <see cref="MaxRetries"/>). Null keeps the SDK's 100 seconds.
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>How often the SDK retries a failed request itself; null keeps the SDK's default (3).</summary>
    public int? MaxRetries { get; set; }

    /// <summary>
    /// The blob service URL used with <c>AZURE_ACCOUNT_NAME</c> and a key or SAS, e.g.
    /// <c>http://127.0.0.1:10000/devstoreaccount1</c> for Azurite. Null: <c>https://ACCOUNT.blob.core.windows.net</c>.
    /// Ignored with <c>AZURE_CONNECTION_STRING</c>, which names its own endpoint.
    /// </summary>
    public Uri? BlobEndpoint { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> when a setting is out of Azure's range.</summary>
    public void Validate()
    {
        if (MaxSinglePutSize < 1 || MaxSinglePutSize > MaximumSinglePutSize)
            throw new ArgumentException($"--azure-max-single-put-size must be between 1 and {MaximumSinglePutSize} bytes.");
        if (MaxBlockSize < 1 || MaxBlockSize > MaximumBlockSize)
            throw new ArgumentException($"--azure-max-block-size must be between 1 and {MaximumBlockSize} bytes.");
        if (MaxConnections < 1)
            throw new ArgumentException("--azure-max-connections must be at least 1.");
        if (Timeout is { } t && t <= TimeSpan.Zero && t != System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentException("The Azure timeout must be positive.");
        if (MaxRetries is < 0)
            throw new ArgumentException("The Azure SDK retry count must not be negative.");
        if (BlobEndpoint is { IsAbsoluteUri: false })
            throw new ArgumentException("The Azure blob endpoint must be an absolute URL.");
    }

    /// <summary>A copy, so a backend is not affected by later changes to the caller's instance.</summary>
    internal AzureBackendOptions Clone() => (AzureBackendOptions)MemberwiseClone();
}
