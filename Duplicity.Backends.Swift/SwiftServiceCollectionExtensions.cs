using Microsoft.Extensions.DependencyInjection;

namespace Duplicity.Backends.Swift;

/// <summary>Adds the Swift backend to the <see cref="BackendRegistry"/> of a dependency-injection container.</summary>
public static class SwiftServiceCollectionExtensions
{
    /// <summary>
    /// Calls <see cref="DuplicityServiceCollectionExtensions.AddDuplicity"/> and adds the <c>swift</c> scheme
    /// (<see cref="SwiftRegistration.AddSwift"/>) to its registry. Calling it a second time throws when the
    /// registry is built (a scheme can have one backend only).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">duplicity's command-line settings for Swift (segment size, storage policy).</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddDuplicitySwift(this IServiceCollection services, SwiftBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddDuplicity(registry => registry.AddSwift(options));
    }
}
