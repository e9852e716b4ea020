namespace Duplicity.Backends;

/// <summary>
/// One step that adds schemes to the <see cref="BackendRegistry"/> a service container builds: registered
/// by <see cref="DuplicityServiceCollectionExtensions.AddDuplicity"/> and the backend packages'
/// <c>AddDuplicity*</c> extensions, applied in registration order when the registry is first resolved.
/// </summary>
public sealed class BackendRegistrySetup
{
    private readonly Action<BackendRegistry> _apply;

    /// <summary>Creates a step.</summary>
    /// <param name="apply">Adds schemes to the registry.</param>
    public BackendRegistrySetup(Action<BackendRegistry> apply)
    {
        ArgumentNullException.ThrowIfNull(apply);
        _apply = apply;
    }

    /// <summary>Runs the step on <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry being built.</param>
    public void Apply(BackendRegistry registry) => _apply(registry);
}
