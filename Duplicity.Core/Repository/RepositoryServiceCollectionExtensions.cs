using Duplicity.Backends;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Duplicity.Repository;

/// <summary>Registers repositories a host opens through <see cref="BackupRepositoryFactory"/>.</summary>
public static class RepositoryServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="RepositoryOptions"/> (as <c>IOptions</c>, named when <paramref name="name"/> is given) with the
    /// backend URL and <paramref name="configure"/>, and registers <see cref="BackupRepositoryFactory"/> and the backend
    /// registry (<see cref="DuplicityServiceCollectionExtensions.AddDuplicity"/>). Backend packages add their schemes
    /// with their own <c>AddDuplicity*</c> calls.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="backendUrl">The repository's backend URL (duplicity's target URL).</param>
    /// <param name="configure">Sets archive dir, encryption and the rest; null keeps the defaults.</param>
    /// <param name="name">A name to register several repositories; null for the unnamed one.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddDuplicityRepository(this IServiceCollection services, string backendUrl,
        Action<RepositoryOptions>? configure = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(backendUrl);
        services.AddDuplicity();
        services.AddOptions<RepositoryOptions>(name ?? Microsoft.Extensions.Options.Options.DefaultName).Configure(options =>
        {
            options.BackendUrl = backendUrl;
            configure?.Invoke(options);
        });
        services.TryAddSingleton<BackupRepositoryFactory>();
        return services;
    }
}
