using Microsoft.Extensions.DependencyInjection;

namespace Duplicity.Backends.Rclone;

/// <summary>Adds the rclone backend to the <see cref="BackendRegistry"/> of a dependency-injection container.</summary>
public static class RcloneServiceCollectionExtensions
{
    /// <summary>
    /// Calls <see cref="DuplicityServiceCollectionExtensions.AddDuplicity"/> and adds the <c>rclone</c> scheme
    /// (<see cref="RcloneRegistration.AddRclone"/>) to its registry.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The rclone program, configuration file and extra arguments; copied now.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddDuplicityRclone(this IServiceCollection services, RcloneBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var snapshot = (options ?? new RcloneBackendOptions()).Clone();
        return services.AddDuplicity(registry => registry.AddRclone(snapshot));
    }
}
