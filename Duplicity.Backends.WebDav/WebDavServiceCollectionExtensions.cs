using Microsoft.Extensions.DependencyInjection;

namespace Duplicity.Backends.WebDav;

/// <summary>Adds the WebDAV backend to the <see cref="BackendRegistry"/> of a dependency-injection container.</summary>
public static class WebDavServiceCollectionExtensions
{
    /// <summary>
    /// Calls <see cref="DuplicityServiceCollectionExtensions.AddDuplicity"/> and adds the WebDAV schemes
    /// (<see cref="WebDavRegistration.AddWebDav"/>) to its registry. Calling it a second time throws when the
    /// registry is built (a scheme can have one backend only).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">duplicity's command-line settings for WebDAV (trusted CA certificates, timeouts).</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddDuplicityWebDav(this IServiceCollection services, WebDavBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddDuplicity(registry => registry.AddWebDav(options));
    }
}
