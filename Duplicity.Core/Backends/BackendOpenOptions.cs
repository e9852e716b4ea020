using System.Collections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Backends;

/// <summary>
/// The context a backend factory opens a backend in, besides its URL: credentials from environment
/// variables (<c>FTP_PASSWORD</c>, <c>AWS_ACCESS_KEY_ID</c>, <c>SWIFT_AUTHURL</c>, ...), and the host's
/// logging, clock and HTTP pipeline, so a backend builds none of them itself.
/// </summary>
public sealed class BackendOpenOptions
{
    /// <summary>
    /// Where the backend logs connects, re-authentication, reconnects and large uploads (event ids in
    /// <see cref="Diagnostics.DuplicityEventIds"/>, 5000s). Defaults to <see cref="NullLoggerFactory.Instance"/>.
    /// Backends never log credentials, tokens or signed URLs.
    /// </summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The clock a backend reads and waits with. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// For backends that speak HTTP: creates the handler their one <see cref="HttpClient"/> sends through, so
    /// the host decides proxies, certificates, connection pooling and instrumentation (for example a
    /// pooled handler of <c>IHttpClientFactory</c>). Called when a backend builds its HTTP client: once per
    /// opened Swift backend, possibly a few times for S3 (the AWS SDK keeps a small pool of clients). The
    /// backend does not dispose the handler; its creator owns it. The handler should not follow redirects, since requests
    /// carry authentication headers. Null (the default): each backend builds its own handler.
    /// </summary>
    public Func<HttpMessageHandler>? HttpMessageHandlerFactory { get; init; }

    /// <summary>
    /// The environment variables a backend reads its settings from. Defaults to a snapshot of the process
    /// environment taken when the options are created; host applications and tests pass their own
    /// dictionary to keep secrets out of the process environment.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = SnapshotProcessEnvironment();

    /// <summary>Returns an environment variable of <see cref="Environment"/>, or null when unset or empty.</summary>
    /// <param name="name">The variable name.</param>
    public string? GetEnvironmentVariable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
    }

    private static Dictionary<string, string?> SnapshotProcessEnvironment()
    {
        // Windows variable names are case-insensitive; Unix ones are not.
        var comparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var result = new Dictionary<string, string?>(comparer);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            result[(string)entry.Key] = entry.Value as string;
        return result;
    }
}
