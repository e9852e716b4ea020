namespace Duplicity.Backends.S3;

/// <summary>Registers <see cref="S3Backend"/> with a <see cref="BackendRegistry"/>.</summary>
public static class S3Registration
{
    /// <summary>
    /// Registers the schemes <c>s3</c>, <c>boto3+s3</c> and <c>s3+http</c>, read as duplicity 0.8.22 reads them
    /// (see <see cref="S3Backend.Open"/>).
    /// </summary>
    /// <param name="registry">The registry to add to.</param>
    /// <param name="options">Settings for every S3 backend opened through the registry; null for duplicity's defaults.</param>
    /// <returns>The registry, for chaining.</returns>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    public static BackendRegistry AddS3(this BackendRegistry registry, S3BackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var settings = options?.Clone() ?? new S3BackendOptions();
        settings.Validate();
        foreach (var scheme in new[] { "s3", "boto3+s3", "s3+http" })
            registry.Register(scheme, (url, open) => S3Backend.Open(url, open, settings));
        return registry;
    }
}
