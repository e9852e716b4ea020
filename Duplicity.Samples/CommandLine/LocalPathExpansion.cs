using System.Text.RegularExpressions;

namespace Duplicity.Samples.CommandLine;

/// <summary><c>$VAR</c>, <c>${VAR}</c> and leading <c>~</c> expansion of local paths, as duplicity does.</summary>
internal static partial class LocalPathExpansion
{
    public static string Expand(string path)
    {
        // Unknown variables stay as written, like Python's os.path.expandvars.
        path = VariablePattern().Replace(path, m =>
        {
            var name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            return Environment.GetEnvironmentVariable(name) ?? m.Value;
        });
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            path = home + path[1..];
        }
        return path;
    }

    [GeneratedRegex(@"\$(?:\{([^}]*)\}|(\w+))")]
    private static partial Regex VariablePattern();
}
