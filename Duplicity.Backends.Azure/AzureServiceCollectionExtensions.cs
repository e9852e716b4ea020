using Microsoft.Extensions.DependencyInjection;

namespace Duplicity.Backends.Azure;

/// <summary>Adds the Azure backend to the <see cref="BackendRegistry"/> of a dependency-injection container.</summary>
public static class AzureServiceCollectionExtensions
{
    /// <summary>
    /// Calls <see cref="DuplicityServiceCollectionExtensions.AddDuplicity"/> and adds the scheme of
    /// <see cref="AzureRegistration.AddAzure"/> to its registry. Calling it a second time throws when the
    /// registry is built (a scheme can have one backend only).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Azure settings; copied and checked now.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public static IServiceCollection AddDuplicityAzure(this IServiceCollection services, AzureBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var snapshot = options?.Clone() ?? new AzureBackendOptions();
        snapshot.Validate();
        return services.AddDuplicity(registry => registry.AddAzure(snapshot));
    }
}
