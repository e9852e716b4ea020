using Microsoft.Extensions.Logging;

namespace Duplicity.Diagnostics;

/// <summary>
/// Messages of the OpenPGP engines. The GnuPG engine logs which program ran and how it ended, never
/// its arguments (extra options could hold anything) and never passphrases.
/// </summary>
internal static partial class CryptoLog
{
    [LoggerMessage(EventId = DuplicityEventIds.CryptoGnuPGStarted, Level = LogLevel.Debug, Message = "Started {Binary} to {Operation} a file (process {ProcessId}).")]
    public static partial void GnuPGStarted(ILogger logger, string binary, string operation, int processId);

    [LoggerMessage(EventId = DuplicityEventIds.CryptoGnuPGExited, Level = LogLevel.Debug, Message = "{Binary} ended its {Operation} run with exit code {ExitCode}.")]
    public static partial void GnuPGExited(ILogger logger, string binary, string operation, int exitCode);
}
