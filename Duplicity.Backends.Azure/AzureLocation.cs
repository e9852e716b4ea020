using System.Text.RegularExpressions;

namespace Duplicity.Backends.Azure;

/// <summary>
/// The container of an <c>azure://container</c> URL. duplicity 0.8.22 takes everything after
/// <c>azure://</c> as the container name, so a path (<c>azure://container/prefix</c>) is refused as it
/// refuses it: the name must follow Azure's container naming rules.
/// </summary>
internal static partial class AzureLocation
{
    /// <summary>Azure's rule: 3-63 of a-z, 0-9 and '-', starting and ending with a letter or digit, no "--".</summary>
    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerName();

    /// <summary>Whether <paramref name="name"/> is a valid container name.</summary>
    public static bool IsValidContainerName(string name) => ContainerName().IsMatch(name);

    /// <summary>The container named by <paramref name="url"/>.</summary>
    /// <exception cref="DuplicityException">No valid container name (<see cref="DuplicityErrorCode.BadUrl"/>).</exception>
    public static string ContainerOf(BackendUrl url)
    {
        var name = url.HostAndPath.TrimStart('/');
        if (!IsValidContainerName(name))
        {
            var why = name.Contains('/', StringComparison.Ordinal)
                ? " (duplicity 0.8.22 takes no path after the container: use azure://container)"
                : "";
            throw new DuplicityException(DuplicityErrorCode.BadUrl, $"Invalid Azure Storage Blob container name in {url}{why}.");
        }
        return name;
    }
}
