using Duplicity.Archive.Naming;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Collections;
using Duplicity.Samples.CommandLine;
using Duplicity.Samples.Output;
using Microsoft.Extensions.Logging;

namespace Duplicity.Samples.Commands;

/// <summary><c>remove-older-than</c>, <c>remove-all-but-n-full</c>, <c>remove-all-inc-of-but-n-full</c> and <c>cleanup</c>.</summary>
internal static class RetentionCommands
{
    public static async Task<int> RemoveAsync(Invocation invocation, ConsoleSettings settings, BackupRepository repository, ConsoleLoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("retention");
        var status = await repository.GetStatusAsync(cancellationToken);
        StatusWarnings.Write(loggerFactory, status);
        ConsoleLog.LastFullBackupDate(logger, status.LastFullBackupTime);
        var policy = invocation.Action switch
        {
            ActionKind.RemoveOlderThan => RetentionPolicy.RemoveOlderThan(ParseRemoveTime(invocation.RemoveTime!, settings)),
            ActionKind.RemoveAllButNFull => RetentionPolicy.RemoveAllButNFull(invocation.Count),
            _ => RetentionPolicy.RemoveAllIncrementalsOfAllButNFull(invocation.Count),
        };
        var plan = policy.Plan(status);
        if (plan.RequiredOldSets.Count > 0)
        {
            var required = string.Join("\n", plan.RequiredOldSets.Select(s => Pretty(s.EndTime)));
            ConsoleLog.RequiredSetsKept(logger, required);
        }
        if (plan.PrimaryChainIsOlderThanCutoff)
            ConsoleLog.ActiveChainKept(logger);
        if (plan.IsEmpty)
        {
            ConsoleLog.NoOldSets(logger);
            return 0;
        }
        var times = string.Join("\n", plan.Chains.Select(c => Pretty(c.EndTime)));
        if (!settings.Force)
        {
            if (plan.Chains.Count == 1) ConsoleLog.FoundOldChain(logger, times);
            else ConsoleLog.FoundOldChains(logger, times);
            return 0;
        }
        if (plan.Chains.Count == 1) ConsoleLog.DeletingChain(logger, times);
        else ConsoleLog.DeletingChains(logger, times);
        foreach (var sig in plan.SignatureChains.Reverse())
        {
            var time = Pretty(sig.EndTime);
            if (plan.IncrementalsOnly) ConsoleLog.DeletingIncrementalSignatureChain(logger, time);
            else ConsoleLog.DeletingSignatureChain(logger, time);
        }
        foreach (var chain in plan.Chains.Reverse())
        {
            var time = Pretty(chain.EndTime);
            if (plan.IncrementalsOnly) ConsoleLog.DeletingIncrementalBackupChain(logger, time);
            else ConsoleLog.DeletingBackupChain(logger, time);
        }
        if (!settings.DryRun) await plan.ApplyAsync(repository, cancellationToken);
        return 0;
    }

    public static async Task<int> CleanupAsync(ConsoleSettings settings, BackupRepository repository, ConsoleLoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("cleanup");
        var status = await repository.GetStatusAsync(cancellationToken);
        StatusWarnings.Write(loggerFactory, status);
        ConsoleLog.LastFullBackupDate(logger, status.LastFullBackupTime);
        var (local, remote) = status.GetExtraneousFiles();
        var all = local.Concat(remote).ToList();
        if (all.Count == 0)
        {
            ConsoleLog.NoExtraneousFiles(logger);
            return 0;
        }
        var list = string.Join("\n", all);
        if (!settings.Force)
        {
            if (all.Count == 1) ConsoleLog.FoundFileToDelete(logger, list);
            else ConsoleLog.FoundFilesToDelete(logger, list);
            return 0;
        }
        if (all.Count == 1) ConsoleLog.DeletingFile(logger, list);
        else ConsoleLog.DeletingFiles(logger, list);
        if (!settings.DryRun) await repository.DeleteExtraneousFilesAsync(status, cancellationToken);
        return 0;
    }

    private static DateTimeOffset ParseRemoveTime(string text, ConsoleSettings settings)
    {
        try
        {
            return DateTimeOffset.FromUnixTimeSeconds(DuplicityTime.ParseUserTime(text, settings.Clock.GetUtcNow(), TimeZoneInfo.Local));
        }
        catch (ArgumentException e)
        {
            // duplicity lets this one escape as an unhandled exception (exit 30).
            throw new DuplicityException(DuplicityErrorCode.Unexpected, e.Message);
        }
    }

    private static string Pretty(DateTimeOffset t) => DuplicityTime.Pretty(t.ToUnixTimeSeconds(), TimeZoneInfo.Local);
}
