using System.Collections.Concurrent;
using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends;

/// <summary>
/// Maps URL schemes (case-insensitive) to backend factories and opens backends from URLs.
/// Thread-safe. Backend packages add themselves with extension methods, e.g.
/// <c>new BackendRegistry().AddFileSystem()</c>.
/// </summary>
public sealed class BackendRegistry
{
    private readonly ConcurrentDictionary<string, Func<BackendUrl, BackendOpenOptions, IBackend>> _factories =
        new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<BackendOpenOptions> _defaultOptions;

    /// <summary>Creates an empty registry whose <see cref="Open(string, BackendOpenOptions?)"/> defaults to <c>new BackendOpenOptions()</c>.</summary>
    public BackendRegistry()
        : this(static () => new BackendOpenOptions())
    {
    }

    /// <summary>
    /// Creates an empty registry whose <see cref="Open(string, BackendOpenOptions?)"/>, when given no options,
    /// opens backends with the options <paramref name="defaultOptions"/> creates: how a host hands its
    /// logger factory, clock and HTTP pipeline to every backend (<c>AddDuplicity</c> does this with the
    /// container's services).
    /// </summary>
    /// <param name="defaultOptions">Creates the options for one open; called once per open without options.</param>
    public BackendRegistry(Func<BackendOpenOptions> defaultOptions)
    {
        ArgumentNullException.ThrowIfNull(defaultOptions);
        _defaultOptions = defaultOptions;
    }

    /// <summary>The registered schemes, as registered.</summary>
    public IReadOnlyCollection<string> Schemes => _factories.Keys.Order(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>
    /// Registers the factory for a scheme. Throws <see cref="InvalidOperationException"/> when the scheme
    /// already has one (as duplicity refuses conflicting schemes).
    /// </summary>
    /// <param name="scheme">The URL scheme without <c>://</c>, e.g. <c>sftp</c> or <c>boto3+s3</c>.</param>
    /// <param name="factory">Creates a backend from a parsed URL and the open options.</param>
    /// <returns>This registry, for chaining.</returns>
    public BackendRegistry Register(string scheme, Func<BackendUrl, BackendOpenOptions, IBackend> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentNullException.ThrowIfNull(factory);
        if (!char.IsAsciiLetter(scheme[0]) || scheme.AsSpan().ContainsAnyExcept(SchemeCharacters))
            throw new ArgumentException($"'{scheme}' is not a valid URL scheme.", nameof(scheme));
        if (!_factories.TryAdd(scheme, factory))
            throw new InvalidOperationException($"A backend is already registered for scheme '{scheme}'.");
        return this;
    }

    /// <summary>Whether a factory is registered for the scheme (case-insensitive).</summary>
    /// <param name="scheme">The URL scheme without <c>://</c>.</param>
    public bool IsRegistered(string scheme)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        return _factories.ContainsKey(scheme);
    }

    /// <summary>
    /// Parses <paramref name="url"/> and opens a backend for it. A malformed URL throws
    /// <see cref="DuplicityException"/> with <see cref="DuplicityErrorCode.BadUrl"/>; an unregistered scheme
    /// throws one with <see cref="DuplicityErrorCode.UserError"/> and duplicity's message
    /// <c>scheme not supported in url: ...</c> (password redacted).
    /// </summary>
    /// <param name="url">The backend URL.</param>
    /// <param name="options">The context for the backend; null for the registry's defaults (see <see cref="BackendRegistry(Func{BackendOpenOptions})"/>).</param>
    public IBackend Open(string url, BackendOpenOptions? options = null) => Open(BackendUrl.Parse(url), options);

    /// <summary>Opens a backend for an already parsed URL; see <see cref="Open(string, BackendOpenOptions?)"/>.</summary>
    /// <param name="url">The backend URL.</param>
    /// <param name="options">The context for the backend; null for the registry's defaults.</param>
    public IBackend Open(BackendUrl url, BackendOpenOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!_factories.TryGetValue(url.Scheme, out var factory))
            throw new DuplicityException(DuplicityErrorCode.UserError, $"scheme not supported in url: {url}");
        var context = options ?? _defaultOptions();
        var backend = factory(url, context);
        var logger = context.LoggerFactory.CreateLogger<BackendRegistry>();
        if (logger.IsEnabled(LogLevel.Trace))
            BackendLog.Opened(logger, url.Scheme, backend.DisplayName);
        return backend;
    }

    private static readonly System.Buffers.SearchValues<char> SchemeCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
}
