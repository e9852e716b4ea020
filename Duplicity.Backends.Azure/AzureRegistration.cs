namespace Duplicity.Backends.Azure;

/// <summary>Registers <see cref="AzureBackend"/> with a <see cref="BackendRegistry"/>.</summary>
public static class AzureRegistration
{
    /// <summary>
    /// Registers the scheme <c>azure</c>, read as duplicity 0.8.22 reads it (see <see cref="AzureBackend.Open"/>).
    /// </summary>
    /// <param name="registry">The registry to add to.</param>
    /// <param name="options">Settings for every Azure backend opened through the registry; null for duplicity's defaults.</param>
    /// <returns>The registry, for chaining.</returns>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public static BackendRegistry AddAzure(this BackendRegistry registry, AzureBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var settings = options?.Clone() ?? new AzureBackendOptions();
        settings.Validate();
        registry.Register("azure", (url, open) => AzureBackend.Open(url, open, settings));
        return registry;
    }
}
