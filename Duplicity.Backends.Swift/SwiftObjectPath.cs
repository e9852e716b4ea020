using System.Text;

namespace Duplicity.Backends.Swift;

/// <summary>Builds percent-encoded Swift URLs (<c>storage/container/object</c>) from raw names.</summary>
internal static class SwiftObjectPath
{
    public static Uri Container(Uri storageUrl, string container, string? query = null) =>
        Build(storageUrl, Escape(container), query);

    public static Uri Object(Uri storageUrl, string container, string objectName, string? query = null) =>
        Build(storageUrl, Escape(container) + "/" + Escape(objectName), query);

    // Every path segment escaped on its own so '/' inside an object name stays a separator Swift keeps.
    private static string Escape(string name)
    {
        var builder = new StringBuilder(name.Length + 16);
        var first = true;
        foreach (var part in name.Split('/'))
        {
            if (!first)
                builder.Append('/');
            builder.Append(Uri.EscapeDataString(part));
            first = false;
        }
        return builder.ToString();
    }

    private static Uri Build(Uri storageUrl, string path, string? query) =>
        new(storageUrl.AbsoluteUri.TrimEnd('/') + "/" + path + (query is null ? "" : "?" + query));
}
