using Microsoft.Extensions.DependencyInjection;

namespace Duplicity.Backends.S3;

/// <summary>Adds the S3 backend to the <see cref="BackendRegistry"/> of a dependency-injection container.</summary>
public static class S3ServiceCollectionExtensions
{
    /// <summary>
    /// Calls <see cref="DuplicityServiceCollectionExtensions.AddDuplicity"/> and adds the schemes of
    /// <see cref="S3Registration.AddS3"/> to its registry. Calling it a second time throws when the
    /// registry is built (a scheme can have one backend only).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">S3 settings; copied and checked now.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    public static IServiceCollection AddDuplicityS3(this IServiceCollection services, S3BackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var snapshot = options?.Clone() ?? new S3BackendOptions();
        snapshot.Validate();
        return services.AddDuplicity(registry => registry.AddS3(snapshot));
    }
}
