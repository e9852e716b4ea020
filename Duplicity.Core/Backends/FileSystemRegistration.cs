namespace Duplicity.Backends;

/// <summary>Registers the built-in <see cref="FileBackend"/> with a <see cref="BackendRegistry"/>.</summary>
public static class FileSystemRegistration
{
    /// <summary>
    /// Registers the <c>file</c> scheme: <c>file:///absolute/dir</c> and <c>file://relative/dir</c>
    /// (relative to the current directory), as duplicity reads them.
    /// </summary>
    /// <param name="registry">The registry to add to.</param>
    /// <returns>The registry, for chaining.</returns>
    public static BackendRegistry AddFileSystem(this BackendRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Register("file", static (url, _) => FileBackend.FromUrl(url));
    }
}
