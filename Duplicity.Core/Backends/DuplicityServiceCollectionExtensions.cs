using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
    /// <remarks>
    /// Also registers a transient <see cref="BackendOpenOptions"/> carrying the container's
    /// <see cref="ILoggerFactory"/> and <see cref="TimeProvider"/> (when registered); the registry opens
    /// backends with it whenever <see cref="BackendRegistry.Open(string, BackendOpenOptions?)"/> gets no options.
    /// Register your own <see cref="BackendOpenOptions"/> factory before calling this to set more, e.g. an
    /// <see cref="BackendOpenOptions.HttpMessageHandlerFactory"/>.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adds further schemes to the registry when it is built; null for none.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddDuplicity(this IServiceCollection services, Action<BackendRegistry>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddTransient(static provider => new BackendOpenOptions
        {
            LoggerFactory = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System,
        });
        services.TryAddSingleton(static provider =>
        {
            var registry = new BackendRegistry(provider.GetRequiredService<BackendOpenOptions>).AddFileSystem();
            foreach (var setup in provider.GetServices<BackendRegistrySetup>())
                setup.Apply(registry);
            return registry;
        });
        if (configure is not null)
            services.AddSingleton(new BackendRegistrySetup(configure));
        return services;
    }
}
