namespace Duplicity.Backends.Rclone;

/// <summary>Registers the <see cref="RcloneBackend"/> with a <see cref="BackendRegistry"/>.</summary>
public static class RcloneRegistration
{
    /// <summary>The URL scheme served by <see cref="RcloneBackend"/>, as duplicity names it.</summary>
    public const string Scheme = "rclone";

    /// <summary>Registers <c>rclone://remote:path</c>.</summary>
    /// <param name="registry">The registry to add to.</param>
    /// <param name="options">The rclone program, configuration file and extra arguments; copied now.</param>
    /// <returns>The registry, for chaining.</returns>
    public static BackendRegistry AddRclone(this BackendRegistry registry, RcloneBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var snapshot = (options ?? new RcloneBackendOptions()).Clone();
        return registry.Register(Scheme, (url, open) => RcloneBackend.Open(url, open, snapshot));
    }
}
