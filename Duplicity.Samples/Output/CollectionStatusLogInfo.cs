using Duplicity.Archive.Naming;
using Duplicity.Collections;

namespace Duplicity.Samples.Output;

/// <summary>The extra field of collection-status's machine record (code 3): a summary of the chains.</summary>
internal static class CollectionStatusLogInfo
{
    public static string Format(CollectionStatus status)
    {
        // duplicity prints its archive-dir path object, which renders as "(. dir)".
        var lines = new List<string> { "", "backend BackendWrapper", "archive-dir (. dir)" };
        var secondary = status.SecondaryChains;
        for (int i = 0; i < secondary.Count; i++)
        {
            lines.Add($"chain-no-sig {i}");
            AddSets(lines, secondary[i]);
        }
        if (status.PrimaryChain != null)
        {
            lines.Add("chain-complete");
            AddSets(lines, status.PrimaryChain);
        }
        lines.Add($"orphaned-sets-num {status.OrphanedSets.Count}");
        lines.Add($"incomplete-sets-num {status.IncompleteSets.Count}");
        return string.Join("\n", lines);
    }

    private static void AddSets(List<string> lines, BackupChain chain)
    {
        foreach (var set in chain.Sets)
            lines.Add($" {(set.IsFull ? "full" : "inc")} {DuplicityTime.Format(set.EndTime)} {set.Volumes.Count} {(set.IsEncrypted ? "enc" : "noenc")}");
    }
}
