using Microsoft.Extensions.DependencyInjection;

namespace Duplicity.Backends.Ssh;

/// <summary>Adds the SFTP backend to the <see cref="BackendRegistry"/> of a dependency-injection container.</summary>
public static class SshServiceCollectionExtensions
{
    /// <summary>
    /// Calls <see cref="DuplicityServiceCollectionExtensions.AddDuplicity"/> and adds the schemes of
    /// <see cref="SshRegistration.AddSsh"/> to its registry. Calling it a second time throws when the
    /// registry is built (a scheme can have one backend only).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Keys, known-hosts file and <c>--ssh-options</c>; copied now.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddDuplicitySsh(this IServiceCollection services, SshBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var snapshot = (options ?? new SshBackendOptions()).Clone();
        return services.AddDuplicity(registry => registry.AddSsh(snapshot));
    }
}
