using Microsoft.Extensions.DependencyInjection;

namespace Duplicity.Backends.Par2;

/// <summary>Registers duplicity's <c>par2+</c> prefix with a <see cref="BackendRegistry"/>.</summary>
public static class Par2Registration
{
    /// <summary>The URL scheme prefix, as duplicity names it: <c>par2+file:///...</c>, <c>par2+sftp://...</c>.</summary>
    public const string Prefix = "par2";

    /// <summary>
    /// Registers the <c>par2+</c> prefix: <c>par2+&lt;scheme&gt;://...</c> opens the backend of
    /// <c>&lt;scheme&gt;://...</c> from the same registry and wraps it in a <see cref="Par2Backend"/>.
    /// </summary>
    /// <param name="registry">The registry to add to.</param>
    /// <param name="options">Redundancy, volumes, par2 options; copied now.</param>
    /// <returns>The registry, for chaining.</returns>
    public static BackendRegistry AddPar2(this BackendRegistry registry, Par2BackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var snapshot = (options ?? new Par2BackendOptions()).Clone();
        snapshot.Validate();
        return registry.RegisterPrefix(Prefix, (inner, _, open) => new Par2Backend(inner, snapshot, open.LoggerFactory));
    }

    /// <summary>
    /// Calls <see cref="DuplicityServiceCollectionExtensions.AddDuplicity"/> and adds the <c>par2+</c> prefix
    /// (<see cref="AddPar2(BackendRegistry, Par2BackendOptions?)"/>) to its registry.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Redundancy, volumes, par2 options; copied now.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddDuplicityPar2(this IServiceCollection services, Par2BackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var snapshot = (options ?? new Par2BackendOptions()).Clone();
        return services.AddDuplicity(registry => registry.AddPar2(snapshot));
    }
}
