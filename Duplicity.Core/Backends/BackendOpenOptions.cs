using System.Collections;

namespace Duplicity.Backends;

/// <summary>
/// Settings a backend factory may read when it opens a backend, besides its URL: for example credentials
/// from environment variables (<c>FTP_PASSWORD</c>, <c>AWS_ACCESS_KEY_ID</c>, <c>SWIFT_AUTHURL</c>, ...).
/// </summary>
public sealed class BackendOpenOptions
{
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
