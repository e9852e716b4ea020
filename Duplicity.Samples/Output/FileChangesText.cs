using System.Globalization;
using System.Text;
using Duplicity.Archive.Manifests;
using Duplicity.Archive.Naming;

using Duplicity.Collections;

namespace Duplicity.Samples.Output;

/// <summary>
/// Renders collection-status <c>--file-changed</c> and <c>--show-changes-in-set</c> reports as
/// duplicity 0.8.22 prints them, including its <c>b'New'</c> rendering of change types.
/// </summary>
internal static class FileChangesText
{
    private const string Rule = "-------------------------";

    /// <summary>The sets of the primary chain whose Filelist mentions <paramref name="path"/>; empty text without a primary chain.</summary>
    public static string FormatFileChanged(CollectionStatus status, IReadOnlyDictionary<BackupSet, IReadOnlyList<ManifestFileChange>> filelists, string path, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(filelists);
        ArgumentNullException.ThrowIfNull(path);
        if (status.PrimaryChain == null) return "";
        path = path.TrimEnd('/');
        // duplicity quotes only spaces of the path it is given, then compares with the stored (quoted) form.
        var wanted = Encoding.UTF8.GetBytes(path.Contains(' ', StringComparison.Ordinal) ? "\"" + path.Replace(" ", "\\x20", StringComparison.Ordinal) + "\"" : path);
        var rows = new List<string>();
        foreach (var set in status.PrimaryChain.Sets)
        {
            foreach (var change in filelists[set])
            {
                if (!PathQuoting.Quote(change.Path).AsSpan().SequenceEqual(wanted)) continue;
                var type = change.ChangeType.Length == 0 ? "" : char.ToUpperInvariant(change.ChangeType[0]) + change.ChangeType[1..].ToLowerInvariant();
                rows.Add(string.Format(CultureInfo.InvariantCulture, "{0,20}   {1,30}  {2,20}",
                    set.IsFull ? "Full" : "Incremental", DuplicityTime.Pretty(set.EndTime, zone), $"b'{type}'"));
                break;
            }
        }
        var lines = new List<string>
        {
            Rule,
            $"File: {path}",
            $"Total number of backup: {rows.Count}",
            string.Format(CultureInfo.InvariantCulture, "{0,20}   {1,30}  {2,20}", "Type of backup set:", "Time:", "Type of file change:"),
        };
        lines.AddRange(rows);
        lines.Add(Rule);
        return string.Join('\n', lines);
    }

    /// <summary>
    /// The changes recorded in one set of the primary chain: 0 is the newest set, 1 the one before, ...
    /// (negative numbers count from the oldest, as Python indexing does); empty text without a primary chain.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The chain has no such set.</exception>
    public static string FormatChangesInSet(CollectionStatus status, IReadOnlyDictionary<BackupSet, IReadOnlyList<ManifestFileChange>> filelists, int setIndex, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(filelists);
        if (status.PrimaryChain == null) return "";
        var sets = status.PrimaryChain.Sets.Reverse().ToList();
        int i = setIndex < 0 ? setIndex + sets.Count : setIndex;
        if (i < 0 || i >= sets.Count)
            throw new ArgumentOutOfRangeException(nameof(setIndex), setIndex, "list index out of range");
        var set = sets[i];
        var changes = filelists[set];
        var quoted = changes.Select(c => PathQuoting.Quote(c.Path)).ToList();
        // The column is as wide as the longest stored path in bytes; padding counts characters.
        int width = Math.Max(5, quoted.Count == 0 ? 0 : quoted.Max(q => q.Length));
        var lines = new List<string>
        {
            Rule,
            $" Backup set time: {DuplicityTime.Pretty(set.EndTime, zone)}",
            $"Total number of changes: {changes.Count}",
            Row("File:", "Type of file change:", width),
        };
        for (int k = 0; k < changes.Count; k++)
            lines.Add(Row(Encoding.UTF8.GetString(quoted[k]), changes[k].ChangeType, width));
        lines.Add(Rule);
        return string.Join('\n', lines);
    }

    private static string Row(string path, string type, int width) => path.PadRight(width) + "  " + type.PadLeft(20);
}
