namespace Duplicity.Backends.Swift;

/// <summary>Settings of the Swift backend that duplicity takes from its command line rather than the environment.</summary>
public sealed class SwiftBackendOptions
{
    /// <summary>
    /// duplicity's <c>--mp-segment-size</c> in bytes: a file larger than this is uploaded as a Static Large
    /// Object (segments in the <c>&lt;container&gt;_segments</c> container, then a manifest under the file's
    /// name). Null or 0 uploads every file as one object (Swift's limit is 5 GiB per object).
    /// </summary>
    public long? SegmentSize { get; init; }

    /// <summary>duplicity's <c>--swift-storage-policy</c>: sent as <c>X-Storage-Policy</c> when the container is created.</summary>
    public string? StoragePolicy { get; init; }

    /// <summary>
    /// The longest time a request without a body (authentication, listing, delete, the start of a download)
    /// may take before it fails as <see cref="BackendErrorKind.Transient"/>. Default 60 s.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest a download may wait for its next bytes before it fails as <see cref="BackendErrorKind.Transient"/>
    /// (a retry then continues it from the byte reached). Default 60 s. Connecting is bounded separately (30 s).
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many deletes run at once. Default 4.</summary>
    public int DeleteConcurrency { get; init; } = 4;
}
