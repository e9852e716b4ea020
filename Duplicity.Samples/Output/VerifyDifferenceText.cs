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

    /// <summary>The difference a verify logged, rebuilt from the event's values.</summary>
    public static VerifyDifference FromEvent(EventValues v) =>
        new(v.Text("Path"), v["Kind"] is VerifyDifferenceKind kind ? kind : default, v["Expected"] as string, v["Found"] as string);

    private static string Pretty(string? iso, TimeZoneInfo zone) =>
        iso != null && DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? DuplicityTime.Pretty(t, zone) : iso ?? "";

    private static string Numbers(string? pair) => pair?.Replace(",", ", ", StringComparison.Ordinal) ?? "";
}
