using Duplicity.Sessions;
using Microsoft.Extensions.Logging;

namespace Duplicity.Diagnostics;

/// <summary>Messages of verify (duplicity's texts: the console prints them).</summary>
internal static partial class VerifyLog
{
    [LoggerMessage(EventId = DuplicityEventIds.VerifyDifference, Level = LogLevel.Information, Message = "Difference found at {Path}: {Kind} (backup {Expected}, local {Found})")]
    public static partial void Difference(ILogger logger, string path, VerifyDifferenceKind kind, string? expected, string? found);

    [LoggerMessage(EventId = DuplicityEventIds.VerifySummary, Level = LogLevel.Information,
        Message = "Verify complete: {FilesCompared} {FileNoun} compared, {DifferenceCount} {DifferenceNoun} found.")]
    private static partial void Summary(ILogger logger, long filesCompared, string fileNoun, int differenceCount, string differenceNoun);

    /// <summary>Logs the verify's totals.</summary>
    public static void Summary(ILogger logger, VerifyResult result) =>
        Summary(logger, result.FilesCompared, result.FilesCompared == 1 ? "file" : "files",
            result.Differences.Count, result.Differences.Count == 1 ? "difference" : "differences");
}

/// <summary>Messages of list-current-files (duplicity's texts: the console prints them).</summary>
internal static partial class ListLog
{
    [LoggerMessage(EventId = DuplicityEventIds.ListLastFullBackupDate, Level = LogLevel.Information, Message = "Last full backup date: {Date}")]
    public static partial void LastFullBackupDate(ILogger logger, string date);

    [LoggerMessage(EventId = DuplicityEventIds.ListNoFullBackup, Level = LogLevel.Information, Message = "Last full backup date: none")]
    public static partial void NoFullBackup(ILogger logger);

    [LoggerMessage(EventId = DuplicityEventIds.ListNoChainForTime, Level = LogLevel.Warning, Message = "No signature chain for the requested time. Using oldest backup chain.")]
    public static partial void NoChainForTime(ILogger logger);
}

/// <summary>Messages of retention (remove-older-than, remove-all-but-n-full, cleanup).</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(EventId = DuplicityEventIds.RetentionDeleted, Level = LogLevel.Debug, Message = "Deleted {Count} files")]
    public static partial void Deleted(ILogger logger, int count);
}

/// <summary>Messages of replicate (duplicity's texts: the console prints them).</summary>
internal static partial class ReplicateLog
{
    [LoggerMessage(EventId = DuplicityEventIds.ReplicateMinimallyFunctional, Level = LogLevel.Warning, Message = ReplicateSession.MinimallyFunctionalWarning)]
    public static partial void MinimallyFunctional(ILogger logger);

    [LoggerMessage(EventId = DuplicityEventIds.ReplicateNoOldSets, Level = LogLevel.Information, Message = "No old backup sets found.")]
    public static partial void NoOldSets(ILogger logger);

    [LoggerMessage(EventId = DuplicityEventIds.ReplicateSignatureAlreadyThere, Level = LogLevel.Debug, Message = "Signature {Name} already replicated")]
    public static partial void SignatureAlreadyThere(ILogger logger, string name);

    [LoggerMessage(EventId = DuplicityEventIds.ReplicateFile, Level = LogLevel.Information, Message = "Replicating b'{Name}'.")]
    public static partial void Replicating(ILogger logger, string name);

    [LoggerMessage(EventId = DuplicityEventIds.ReplicateSetAlreadyThere, Level = LogLevel.Debug, Message = "Backupset {Name} already replicated")]
    public static partial void SetAlreadyThere(ILogger logger, string? name);
}
