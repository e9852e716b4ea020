using System.Globalization;
using System.Text;
using Duplicity.Archive.Naming;

using Duplicity.Collections;

namespace Duplicity.Samples.Output;

/// <summary>Renders a <see cref="CollectionStatus"/> line for line as duplicity's <c>collection-status</c> prints it.</summary>
internal static class CollectionStatusText
{
    /// <summary>The report (without the leading "Last full backup date" line), lines joined with <c>\n</c>.</summary>
    public static string Format(CollectionStatus status, string? archiveDirectory, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(status);
        var lines = new List<string>
        {
            "Collection Status",
            "-----------------",
            "Connecting with backend: BackendWrapper",
            $"Archive dir: {archiveDirectory ?? "None"}",
        };
        var secondary = status.SecondaryChains;
        lines.Add("\n" + (secondary.Count == 1 ? "Found 1 secondary backup chain." : $"Found {secondary.Count} secondary backup chains."));
        for (int i = 0; i < secondary.Count; i++)
        {
            lines.Add($"Secondary chain {i + 1} of {secondary.Count}:");
            lines.Add(Chain(secondary[i], zone));
            lines.Add("");
        }
        if (status.PrimaryChain != null)
        {
            lines.Add("\nFound primary backup chain with matching signature chain:");
            lines.Add(Chain(status.PrimaryChain, zone));
        }
        else
        {
            lines.Add("No backup chains with active signatures found");
        }
        int orphaned = status.OrphanedSets.Count, incomplete = status.IncompleteSets.Count;
        if (orphaned > 0 || incomplete > 0)
        {
            lines.Add(orphaned == 1 ? "Also found 1 backup set not part of any chain," : $"Also found {orphaned} backup sets not part of any chain,");
            lines.Add(incomplete == 1 ? "and 1 incomplete backup set." : $"and {incomplete} incomplete backup sets.");
            lines.Add("These may be deleted by running duplicity with the \"cleanup\" command.");
        }
        else
        {
            lines.Add("No orphaned or incomplete backup sets found.");
        }
        return string.Join("\n", lines);
    }

    /// <summary>duplicity's text of a repository warning (printed before any command's output).</summary>
    public static string Warning(RepositoryWarning warning)
    {
        ArgumentNullException.ThrowIfNull(warning);
        string Noun(int n) => n == 1 ? "file" : "files";
        return warning.Kind switch
        {
            RepositoryWarningKind.OrphanedLocalSignatures or RepositoryWarningKind.OrphanedRemoteSignatures =>
                $"Warning, found the following {(warning.Kind == RepositoryWarningKind.OrphanedLocalSignatures ? "local" : "remote")} orphaned signature {Noun(warning.Files.Count)}:\n"
                + string.Join("\n", warning.Files),
            RepositoryWarningKind.SignaturesWithoutBackups => "Warning, found signatures but no corresponding backup files",
            RepositoryWarningKind.IncompleteSets => "Warning, found incomplete backup sets, probably left from aborted session",
            _ => $"Warning, found the following orphaned backup {Noun(warning.Sets.Count)}:\n"
                + string.Join("\n", warning.Sets.Select(s => "[" + string.Join(", ", s.Volumes.Values.Prepend(s.ManifestName).OfType<string>()) + "]")),
        };
    }

    /// <summary>One chain's block: times, counts and the per-set table.</summary>
    public static string Chain(BackupChain chain, TimeZoneInfo zone)
    {
        var sb = new StringBuilder();
        sb.Append("-------------------------\n");
        sb.Append("Chain start time: ").Append(DuplicityTime.Pretty(chain.StartTime, zone)).Append('\n');
        sb.Append("Chain end time: ").Append(DuplicityTime.Pretty(chain.EndTime, zone)).Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"Number of contained backup sets: {chain.Incrementals.Count + 1}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Total number of contained volumes: {chain.Sets.Sum(s => s.Volumes.Count)}\n");
        sb.Append(Row("Type of backup set:", "Time:", "Num volumes:")).Append('\n');
        foreach (var set in chain.Sets)
            sb.Append(Row(set.IsFull ? "Full" : "Incremental", DuplicityTime.Pretty(set.EndTime, zone), set.Volumes.Count.ToString(CultureInfo.InvariantCulture))).Append('\n');
        sb.Append("-------------------------");
        return sb.ToString();
    }

    private static string Row(string type, string time, string volumes) => $"{type,20}   {time,30}   {volumes,15}";
}
