using Duplicity.Samples.Output;
using Microsoft.Extensions.Logging;

namespace Duplicity.Samples;

/// <summary>Prints the notice duplicity prints for an option given.</summary>
internal static class OptionNotices
{
    public static void Log(ILogger logger, OptionNotice notice, string option)
    {
        switch (notice)
        {
            case OptionNotice.OldFilenames: ConsoleLog.OldFilenameOptionDeprecated(logger, option); break;
            case OptionNotice.Stdin: ConsoleLog.StdinOptionDeprecated(logger, option); break;
            case OptionNotice.IgnoreErrors: ConsoleLog.IgnoreErrorsMode(logger, option); break;
            case OptionNotice.CertificatesStillChecked: ConsoleLog.CertificatesStillChecked(logger, option); break;
            case OptionNotice.CertificatesNotChecked: ConsoleLog.CertificatesNotChecked(logger, option); break;
        }
    }
}
