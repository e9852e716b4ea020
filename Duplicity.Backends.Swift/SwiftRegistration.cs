namespace Duplicity.Backends.Swift;

/// <summary>Registers the <see cref="SwiftBackend"/> with a <see cref="BackendRegistry"/>.</summary>
public static class SwiftRegistration
{
    /// <summary>
    /// Registers the <c>swift</c> scheme (<c>swift://container[/prefix]</c>), configured from the
    /// <c>SWIFT_*</c> variables of <see cref="BackendOpenOptions.Environment"/> as duplicity reads them.
    /// </summary>
    /// <param name="registry">The registry to add to.</param>
    /// <param name="options">duplicity's command-line settings for Swift (segment size, storage policy).</param>
    /// <returns>The registry, for chaining.</returns>
    public static BackendRegistry AddSwift(this BackendRegistry registry, SwiftBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Register("swift", (url, openOptions) => SwiftBackend.Open(url, openOptions, options));
    }
}
