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
    private readonly ConcurrentDictionary<string, Func<IBackend, BackendUrl, BackendOpenOptions, IBackend>> _prefixes =
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

    /// <summary>The registered wrapper prefixes (see <see cref="RegisterPrefix"/>), without their <c>+</c>.</summary>
    public IReadOnlyCollection<string> Prefixes => _prefixes.Keys.Order(StringComparer.OrdinalIgnoreCase).ToArray();

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

    /// <summary>
    /// Registers a wrapper prefix, as duplicity's <c>par2+</c>: a URL whose scheme starts with
    /// <c><paramref name="prefix"/>+</c> opens the backend of the URL without the prefix (any registered
    /// scheme, or another prefix) and hands it to <paramref name="wrap"/>. Prefixes are tried before schemes,
    /// as duplicity tries them. Throws <see cref="InvalidOperationException"/> when the prefix is already
    /// registered.
    /// </summary>
    /// <param name="prefix">The prefix without <c>+</c>, e.g. <c>par2</c>.</param>
    /// <param name="wrap">Wraps the inner backend: gets it, the full URL (with the prefix) and the open options;
    /// the returned backend owns the inner one.</param>
    /// <returns>This registry, for chaining.</returns>
    public BackendRegistry RegisterPrefix(string prefix, Func<IBackend, BackendUrl, BackendOpenOptions, IBackend> wrap)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(wrap);
        if (!char.IsAsciiLetter(prefix[0]) || prefix.AsSpan().ContainsAnyExcept(SchemeCharacters) || prefix.Contains('+'))
            throw new ArgumentException($"'{prefix}' is not a valid scheme prefix.", nameof(prefix));
        if (!_prefixes.TryAdd(prefix, wrap))
            throw new InvalidOperationException($"A backend is already registered for the prefix '{prefix}'.");
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
        var context = options ?? _defaultOptions();
        var plus = url.Scheme.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0 && _prefixes.TryGetValue(url.Scheme[..plus], out var wrap))
        {
            var inner = Open(url.WithoutSchemePrefix(url.Scheme[..plus]), context);
            try
            {
                return wrap(inner, url, context);
            }
            catch
            {
                // The wrapper never took the inner backend over; close it without blocking on its flush.
                _ = inner.DisposeAsync().AsTask();
                throw;
            }
        }
        if (!_factories.TryGetValue(url.Scheme, out var factory))
            throw new DuplicityException(DuplicityErrorCode.UserError, $"scheme not supported in url: {url}");
        var backend = factory(url, context);
        var logger = context.LoggerFactory.CreateLogger<BackendRegistry>();
        if (logger.IsEnabled(LogLevel.Trace))
            BackendLog.Opened(logger, url.Scheme, backend.DisplayName);
        return backend;
    }

    private static readonly System.Buffers.SearchValues<char> SchemeCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
}
