using Microsoft.Extensions.DependencyInjection;

namespace Duplicity.Backends.Ftp;

/// <summary>Adds the FTP backend to the <see cref="BackendRegistry"/> of a dependency-injection container.</summary>
public static class FtpServiceCollectionExtensions
{
    /// <summary>
    /// Calls <see cref="DuplicityServiceCollectionExtensions.AddDuplicity"/> and adds the FTP schemes
    /// (<see cref="FtpRegistration.AddFtp"/>) to its registry. Calling it a second time throws when the
    /// registry is built (a scheme can have one backend only).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">duplicity's command-line settings for FTP.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddDuplicityFtp(this IServiceCollection services, FtpBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddDuplicity(registry => registry.AddFtp(options));
    }
}
