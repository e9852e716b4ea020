using Duplicity.Collections;
using Duplicity.Samples.Output;

namespace Duplicity.Samples.Commands;

/// <summary>duplicity's repository warnings (printed before a command's own output), with their log codes.</summary>
internal static class StatusWarnings
{
    public static void Write(ConsoleLoggerFactory output, CollectionStatus status)
    {
        foreach (var warning in status.Warnings)
        {
            int code = warning.Kind switch
            {
                RepositoryWarningKind.OrphanedLocalSignatures or RepositoryWarningKind.OrphanedRemoteSignatures => 2,
                RepositoryWarningKind.SignaturesWithoutBackups => 4,
                RepositoryWarningKind.IncompleteSets => 5,
                _ => 6,
            };
            output.Write(2, code, null, CollectionStatusText.Warning(warning));
        }
    }
}
