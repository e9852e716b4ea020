using Duplicity.Sessions;
using Microsoft.Extensions.Logging;

namespace Duplicity.Diagnostics;

/// <summary>Messages of verify: plain facts with typed values (see <see cref="DuplicityEventIds"/>).</summary>
internal static partial class VerifyLog
{
    [LoggerMessage(EventId = DuplicityEventIds.VerifyDifference, Level = LogLevel.Information, Message = "Difference found at {Path}: {Kind} (backup {Expected}, local {Found})")]
    public static partial void Difference(ILogger logger, string path, VerifyDifferenceKind kind, string? expected, string? found);

    [LoggerMessage(EventId = DuplicityEventIds.VerifySummary, Level = LogLevel.Information,
        Message = "Verify complete: files compared {FilesCompared}, differences found {DifferenceCount}.")]
    private static partial void Summary(ILogger logger, long filesCompared, int differenceCount);

    /// <summary>Logs the verify's totals.</summary>
    public static void Summary(ILogger logger, VerifyResult result) =>
        Summary(logger, result.FilesCompared, result.Differences.Count);
}

/// <summary>Messages of list-current-files: plain facts with typed values (see <see cref="DuplicityEventIds"/>).</summary>
internal static partial class ListLog
{
    [LoggerMessage(EventId = DuplicityEventIds.ListLastFullBackupDate, Level = LogLevel.Information, Message = "Last full backup time: {LastFullBackupTime}")]
    public static partial void LastFullBackupDate(ILogger logger, DateTimeOffset lastFullBackupTime);

    [LoggerMessage(EventId = DuplicityEventIds.ListNoFullBackup, Level = LogLevel.Information, Message = "There is no full backup.")]
    public static partial void NoFullBackup(ILogger logger);

    [LoggerMessage(EventId = DuplicityEventIds.ListNoChainForTime, Level = LogLevel.Warning, Message = "No signature chain covers the requested time; the oldest chain is listed.")]
    public static partial void NoChainForTime(ILogger logger);
}

/// <summary>Messages of retention (remove-older-than, remove-all-but-n-full, cleanup).</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(EventId = DuplicityEventIds.RetentionDeleted, Level = LogLevel.Debug, Message = "Deleted {Count} files")]
    public static partial void Deleted(ILogger logger, int count);
}

/// <summary>Messages of replicate: plain facts with typed values (see <see cref="DuplicityEventIds"/>).</summary>
internal static partial class ReplicateLog
{
    [LoggerMessage(EventId = DuplicityEventIds.ReplicateNoOldSets, Level = LogLevel.Information, Message = "The source has no backup sets to replicate.")]
    public static partial void NoOldSets(ILogger logger);

    [LoggerMessage(EventId = DuplicityEventIds.ReplicateSignatureAlreadyThere, Level = LogLevel.Debug, Message = "The signature file {Name} is already on the target.")]
    public static partial void SignatureAlreadyThere(ILogger logger, string name);

    [LoggerMessage(EventId = DuplicityEventIds.ReplicateFile, Level = LogLevel.Information, Message = "Replicating {Name}.")]
    public static partial void Replicating(ILogger logger, string name);

    [LoggerMessage(EventId = DuplicityEventIds.ReplicateSetAlreadyThere, Level = LogLevel.Debug, Message = "The backup set {Name} is already on the target.")]
    public static partial void SetAlreadyThere(ILogger logger, string? name);
}
