using Duplicity.Backends;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Duplicity.Repository;

/// <summary>
/// Opens the repository a host configured (<see cref="RepositoryServiceCollectionExtensions.AddDuplicityRepository"/>):
/// the backend for its URL from the <see cref="BackendRegistry"/>, then the repository with the bound
/// <see cref="RepositoryOptions"/>. Resolve it from the container and open a repository per operation;
/// the repository holds the archive dir's lock until it is disposed.
/// </summary>
public sealed class BackupRepositoryFactory
{
    private readonly BackendRegistry _registry;
    private readonly IOptionsMonitor<RepositoryOptions> _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider? _timeProvider;

    /// <summary>Creates a factory (the container calls this).</summary>
    /// <param name="registry">Opens backends by URL scheme.</param>
    /// <param name="options">The repository settings, by name (<see cref="Options.DefaultName"/> for the unnamed one).</param>
    /// <param name="loggerFactory">Where repositories and their backends log; null logs nothing.</param>
    /// <param name="timeProvider">The host's clock; used when the options keep the system clock. Null for the system clock.</param>
    public BackupRepositoryFactory(BackendRegistry registry, IOptionsMonitor<RepositoryOptions> options,
        ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _timeProvider = timeProvider;
    }

    /// <summary>Opens the backend of the configured URL and the repository on it; disposing the repository disposes that backend.</summary>
    /// <param name="name">Which configured repository (null for the unnamed one).</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="InvalidOperationException">No backend URL was configured under that name.</exception>
    /// <exception cref="RepositoryLockedException">duplicity or another process holds the archive dir's lock.</exception>
    public async Task<BackupRepository> OpenAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        var options = _options.Get(name ?? Options.DefaultName);
        var url = options.BackendUrl
            ?? throw new InvalidOperationException($"No backend URL is configured for the repository '{name ?? "(default)"}'.");
        if (_timeProvider != null && ReferenceEquals(options.TimeProvider, TimeProvider.System))
        {
            options = options.Clone();
            options.TimeProvider = _timeProvider;
        }
        // duplicity names the archive dir after the URL as typed, not the backend's redacted form.
        if (options.Name == null)
        {
            options = options.Clone();
            options.Name = RepositoryOptions.DefaultNameFor(url);
        }
        var backend = _registry.Open(url);
        try
        {
            return await BackupRepository.OpenAsync(backend, ownsBackend: true, options, _loggerFactory, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await backend.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
