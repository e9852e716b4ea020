using Duplicity.Collections;

namespace Duplicity.Samples.Commands;

/// <summary>duplicity's repository warnings (printed before a command's own output), with their log codes.</summary>
internal static class StatusWarnings
{
    public static void Write(ConsoleLoggerFactory output, CollectionStatus status)
    {
        foreach (var warning in CollectionStatusText.Warnings(status))
        {
            int code = warning.Contains("orphaned signature") ? 2
                : warning.Contains("signatures but no") ? 4
                : warning.Contains("incomplete") ? 5
                : 6;
            output.Write(2, code, null, warning);
        }
    }
}
