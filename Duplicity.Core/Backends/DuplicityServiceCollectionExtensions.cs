using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Duplicity.Backends;

/// <summary>Registers Duplicity's <see cref="BackendRegistry"/> with a dependency-injection container.</summary>
public static class DuplicityServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="BackendRegistry"/> with the <c>file</c> scheme
    /// (<see cref="FileSystemRegistration.AddFileSystem"/>), then every <see cref="BackendRegistrySetup"/> of the
    /// container in registration order (the backend packages' <c>AddDuplicitySsh</c>, <c>AddDuplicityS3</c>,
    /// <c>AddDuplicitySwift</c> add theirs). Safe to call more than once: the registry is registered once,
    /// each <paramref name="configure"/> is kept as one more step.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adds further schemes to the registry when it is built; null for none.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddDuplicity(this IServiceCollection services, Action<BackendRegistry>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(static provider =>
        {
            var registry = new BackendRegistry().AddFileSystem();
            foreach (var setup in provider.GetServices<BackendRegistrySetup>())
                setup.Apply(registry);
            return registry;
        });
        if (configure is not null)
            services.AddSingleton(new BackendRegistrySetup(configure));
        return services;
    }
}
