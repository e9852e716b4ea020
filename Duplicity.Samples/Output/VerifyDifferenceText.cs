using System.Globalization;
using Duplicity.Archive.Naming;
using Duplicity.Sessions;

namespace Duplicity.Samples.Output;

/// <summary>duplicity's sentence for a verify difference (after its "Difference found: ").</summary>
internal static class VerifyDifferenceText
{
    public static string Format(VerifyDifference d, TimeZoneInfo zone) => d.Kind switch
    {
        VerifyDifferenceKind.NewFile => $"New file {d.Path}",
        VerifyDifferenceKind.Missing => $"File {d.Path} is missing",
        VerifyDifferenceKind.Type => $"File {d.Path} has type {d.Found}, expected {d.Expected}",
        VerifyDifferenceKind.Permissions => $"File {d.Path} has permissions {d.Found}, expected {d.Expected}",
        VerifyDifferenceKind.ModificationTime => $"File {d.Path} has mtime {Pretty(d.Found, zone)}, expected {Pretty(d.Expected, zone)}",
        VerifyDifferenceKind.Data => $"Data for file {d.Path} is different",
        VerifyDifferenceKind.SymlinkTarget => $"Symlink {d.Path} points to {d.Found}, expected {d.Expected}",
        _ => $"Device file {d.Path} has numbers ({Numbers(d.Found)}), expected ({Numbers(d.Expected)})",
    };

    /// <summary>The difference a verify logged, rebuilt from the log call's values.</summary>
    public static VerifyDifference? FromLogState(IReadOnlyList<KeyValuePair<string, object?>> state)
    {
        string? path = null, expected = null, found = null;
        VerifyDifferenceKind? kind = null;
        foreach (var (key, value) in state)
        {
            switch (key)
            {
                case "Path": path = value?.ToString(); break;
                case "Kind": kind = value as VerifyDifferenceKind?; break;
                case "Expected": expected = value as string; break;
                case "Found": found = value as string; break;
            }
        }
        return path != null && kind is { } k ? new VerifyDifference(path, k, expected, found) : null;
    }

    private static string Pretty(string? iso, TimeZoneInfo zone) =>
        iso != null && DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? DuplicityTime.Pretty(t, zone) : iso ?? "";

    private static string Numbers(string? pair) => pair?.Replace(",", ", ", StringComparison.Ordinal) ?? "";
}
