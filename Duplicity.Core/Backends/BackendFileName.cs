namespace Duplicity.Backends;

/// <summary>
/// The rule every backend applies to file names, so all backends accept and refuse the same names.
/// </summary>
public static class BackendFileName
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a plain file name:
    /// not empty, not <c>.</c> or <c>..</c>, and without <c>/</c>, <c>\</c> or NUL characters.
    /// </summary>
    /// <param name="name">The name to check.</param>
    /// <param name="parameterName">The parameter name reported in the exception.</param>
    public static void Validate(string name, string parameterName = "name")
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (name.Length == 0)
            throw new ArgumentException("A backend file name must not be empty.", parameterName);
        if (name is "." or "..")
            throw new ArgumentException($"'{name}' is not a valid backend file name.", parameterName);
        // Backslash is refused everywhere so a name valid on one backend is valid on all (Windows folders).
        if (name.AsSpan().IndexOfAny('/', '\\', '\0') >= 0)
            throw new ArgumentException($"A backend file name must not contain '/', '\\' or NUL: '{name}'.", parameterName);
    }

    /// <summary>Validates every name of a collection; see <see cref="Validate"/>.</summary>
    /// <param name="names">The names to check.</param>
    /// <param name="parameterName">The parameter name reported in the exception.</param>
    public static void ValidateAll(IEnumerable<string> names, string parameterName = "names")
    {
        ArgumentNullException.ThrowIfNull(names, parameterName);
        foreach (var name in names)
            Validate(name, parameterName);
    }
}
