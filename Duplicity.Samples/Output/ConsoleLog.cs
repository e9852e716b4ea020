using Microsoft.Extensions.Logging;

namespace Duplicity.Samples.Output;

/// <summary>
/// The console's own messages (duplicity's texts, printed as its output). Their event ids are the
/// console's, 9000 and up, apart from the SDK's <see cref="Duplicity.Diagnostics.DuplicityEventIds"/>:
/// they are not part of the SDK's surface. Where duplicity picks one of two texts (singular or
/// plural), each text is its own message, so that no argument carries a pre-formatted sentence.
/// </summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Last full backup date: {Date}")]
    private static partial void LastFullBackupDate(ILogger logger, string date);

    /// <summary>duplicity's "Last full backup date:" line, the date in local time or "none".</summary>
    public static void LastFullBackupDate(ILogger logger, DateTimeOffset? time)
    {
        if (!logger.IsEnabled(LogLevel.Information)) return;
        var date = DuplicityWording.DateOrNone(time?.ToUnixTimeSeconds());
        LastFullBackupDate(logger, date);
    }

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Option {Option} only tunes the {Backend} backend, which this version of Duplicity for .NET does not have; it is ignored.")]
    public static partial void OptionIgnored(ILogger logger, string option, string backend);

    // duplicity's own texts begin with "Warning:" whatever their level, so the analyzer's rule against a
    // level word in the message does not fit them.
#pragma warning disable SYSLIB1012
    [LoggerMessage(EventId = 9003, Level = LogLevel.Error, Message = "Warning: Option {Option} is pending deprecation and will be removed in version 0.9.0.\nUse of default filenames is strongly suggested.")]
    public static partial void OldFilenameOptionDeprecated(ILogger logger, string option);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Error, Message = "Warning: Option {Option} is pending deprecation and will be removed in a future release.\nOn many GNU/Linux systems, stdin is represented by /dev/stdin and\n--include-filelist=/dev/stdin or --exclude-filelist=/dev/stdin could\nbe used as a substitute.")]
    public static partial void StdinOptionDeprecated(ILogger logger, string option);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Warning, Message = "Running in 'ignore errors' mode due to {Option}; please re-consider if this was not intended")]
    public static partial void IgnoreErrorsMode(ILogger logger, string option);

    [LoggerMessage(EventId = 9006, Level = LogLevel.Warning, Message = "WARNING: {Option} is honoured by duplicity only for its WebDAV and lftp backends; the backends of this version keep checking TLS certificates.")]
    public static partial void CertificatesStillChecked(ILogger logger, string option);

    [LoggerMessage(EventId = 9007, Level = LogLevel.Warning, Message = "WARNING: {Option}: the FTP server's TLS certificate is NOT checked. Anyone on the network path can read and change what is stored, and take the password.")]
    public static partial void CertificatesNotChecked(ILogger logger, string option);
#pragma warning restore SYSLIB1012

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "There are backup set(s) at time(s):\n{Times}\nWhich can't be deleted because newer sets depend on them.")]
    public static partial void RequiredSetsKept(ILogger logger, string times);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Current active backup chain is older than specified time.  However, it will not be deleted.  To remove all your backups, manually purge the repository.")]
    public static partial void ActiveChainKept(ILogger logger);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information, Message = "No old backup sets found, nothing deleted.")]
    public static partial void NoOldSets(ILogger logger);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Information, Message = "Found old backup chain at the following time:\n{Times}\nRerun command with --force option to actually delete.")]
    public static partial void FoundOldChain(ILogger logger, string times);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Information, Message = "Found old backup chains at the following times:\n{Times}\nRerun command with --force option to actually delete.")]
    public static partial void FoundOldChains(ILogger logger, string times);

    [LoggerMessage(EventId = 9106, Level = LogLevel.Information, Message = "Deleting backup chain at time:\n{Times}")]
    public static partial void DeletingChain(ILogger logger, string times);

    [LoggerMessage(EventId = 9107, Level = LogLevel.Information, Message = "Deleting backup chains at times:\n{Times}")]
    public static partial void DeletingChains(ILogger logger, string times);

    [LoggerMessage(EventId = 9108, Level = LogLevel.Information, Message = "Deleting any incremental signature chain rooted at {Time}")]
    public static partial void DeletingIncrementalSignatureChain(ILogger logger, string time);

    [LoggerMessage(EventId = 9109, Level = LogLevel.Information, Message = "Deleting complete signature chain {Time}")]
    public static partial void DeletingSignatureChain(ILogger logger, string time);

    [LoggerMessage(EventId = 9110, Level = LogLevel.Information, Message = "Deleting any incremental backup chain rooted at {Time}")]
    public static partial void DeletingIncrementalBackupChain(ILogger logger, string time);

    [LoggerMessage(EventId = 9111, Level = LogLevel.Information, Message = "Deleting complete backup chain {Time}")]
    public static partial void DeletingBackupChain(ILogger logger, string time);

    [LoggerMessage(EventId = 9201, Level = LogLevel.Warning, Message = "No extraneous files found, nothing deleted in cleanup.")]
    public static partial void NoExtraneousFiles(ILogger logger);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Information, Message = "Found the following file to delete:\n{Files}\nRun duplicity again with the --force option to actually delete.")]
    public static partial void FoundFileToDelete(ILogger logger, string files);

    [LoggerMessage(EventId = 9203, Level = LogLevel.Information, Message = "Found the following files to delete:\n{Files}\nRun duplicity again with the --force option to actually delete.")]
    public static partial void FoundFilesToDelete(ILogger logger, string files);

    [LoggerMessage(EventId = 9204, Level = LogLevel.Information, Message = "Deleting this file from backend:\n{Files}")]
    public static partial void DeletingFile(ILogger logger, string files);

    [LoggerMessage(EventId = 9205, Level = LogLevel.Information, Message = "Deleting these files from backend:\n{Files}")]
    public static partial void DeletingFiles(ILogger logger, string files);

    /// <summary>duplicity's notice at the start of every replicate.</summary>
    [LoggerMessage(EventId = 9301, Level = LogLevel.Warning, Message =
        "\nWARNING: Replicate is only minimally functional at this time\n" +
        "         See https://gitlab.com/duplicity/duplicity/-/issues/98\n" +
        "         for further details.  Please consider using rsync,\n" +
        "         rclone, or other copy utilities to make a replication.\n")]
    public static partial void ReplicateMinimallyFunctional(ILogger logger);
}
