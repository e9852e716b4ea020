using Duplicity.Archive.Naming;
using Duplicity.Backends;
using Duplicity.Collections;
using Duplicity.Samples.CommandLine;
using Microsoft.Extensions.Logging;

namespace Duplicity.Samples.Commands;

/// <summary><c>remove-older-than</c>, <c>remove-all-but-n-full</c>, <c>remove-all-inc-of-but-n-full</c> and <c>cleanup</c>.</summary>
internal static class RetentionCommands
{
    public static async Task<int> RemoveAsync(Invocation invocation, ConsoleSettings settings, IBackend backend, ConsoleLoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("retention");
        var status = await CollectionStatus.LoadAsync(backend, settings.Cache, settings.Naming, cancellationToken);
        StatusWarnings.Write(loggerFactory, status);
        logger.LogInformation("Last full backup date: {Date}", status.LastFullBackupTime is { } t ? Pretty(t) : "none");
        var policy = invocation.Action switch
        {
            ActionKind.RemoveOlderThan => RetentionPolicy.RemoveOlderThan(ParseRemoveTime(invocation.RemoveTime!, settings)),
            ActionKind.RemoveAllButNFull => RetentionPolicy.RemoveAllButNFull(invocation.Count),
            _ => RetentionPolicy.RemoveAllIncrementalsOfAllButNFull(invocation.Count),
        };
        var plan = policy.Plan(status);
        if (plan.RequiredOldSets.Count > 0)
            logger.LogWarning("There are backup set(s) at time(s):\n{Times}\nWhich can't be deleted because newer sets depend on them.",
                string.Join("\n", plan.RequiredOldSets.Select(s => Pretty(s.EndTime))));
        if (plan.PrimaryChainIsOlderThanCutoff)
            logger.LogWarning("Current active backup chain is older than specified time.  However, it will not be deleted.  To remove all your backups, manually purge the repository.");
        if (plan.IsEmpty)
        {
            logger.LogInformation("No old backup sets found, nothing deleted.");
            return 0;
        }
        var times = string.Join("\n", plan.Chains.Select(c => Pretty(c.EndTime)));
        if (!settings.Force)
        {
            logger.LogInformation("{Header}\n{Times}\nRerun command with --force option to actually delete.",
                plan.Chains.Count == 1 ? "Found old backup chain at the following time:" : "Found old backup chains at the following times:", times);
            return 0;
        }
        logger.LogInformation("{Header}\n{Times}", plan.Chains.Count == 1 ? "Deleting backup chain at time:" : "Deleting backup chains at times:", times);
        foreach (var sig in plan.SignatureChains.Reverse())
        {
            if (plan.IncrementalsOnly) logger.LogInformation("Deleting any incremental signature chain rooted at {Time}", Pretty(sig.EndTime));
            else logger.LogInformation("Deleting complete signature chain {Time}", Pretty(sig.EndTime));
        }
        foreach (var chain in plan.Chains.Reverse())
        {
            if (plan.IncrementalsOnly) logger.LogInformation("Deleting any incremental backup chain rooted at {Time}", Pretty(chain.EndTime));
            else logger.LogInformation("Deleting complete backup chain {Time}", Pretty(chain.EndTime));
        }
        if (!settings.DryRun) await plan.ApplyAsync(backend, settings.Cache, settings.Naming, logger, cancellationToken);
        return 0;
    }

    public static async Task<int> CleanupAsync(ConsoleSettings settings, IBackend backend, ConsoleLoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("cleanup");
        var status = await CollectionStatus.LoadAsync(backend, settings.Cache, settings.Naming, cancellationToken);
        StatusWarnings.Write(loggerFactory, status);
        logger.LogInformation("Last full backup date: {Date}", status.LastFullBackupTime is { } t ? Pretty(t) : "none");
        var (local, remote) = status.GetExtraneousFiles();
        var all = local.Concat(remote).ToList();
        if (all.Count == 0)
        {
            logger.LogWarning("No extraneous files found, nothing deleted in cleanup.");
            return 0;
        }
        var list = string.Join("\n", all);
        if (!settings.Force)
        {
            logger.LogInformation("{Header}\n{Files}\nRun duplicity again with the --force option to actually delete.",
                all.Count == 1 ? "Found the following file to delete:" : "Found the following files to delete:", list);
            return 0;
        }
        logger.LogInformation("{Header}\n{Files}", all.Count == 1 ? "Deleting this file from backend:" : "Deleting these files from backend:", list);
        if (!settings.DryRun)
        {
            await backend.DeleteAsync(remote, cancellationToken);
            foreach (var name in local) File.Delete(Path.Combine(status.ArchiveDirectory!, name));
        }
        return 0;
    }

    private static long ParseRemoveTime(string text, ConsoleSettings settings)
    {
        try
        {
            return DuplicityTime.ParseUserTime(text, settings.Clock.GetUtcNow(), TimeZoneInfo.Local);
        }
        catch (ArgumentException e)
        {
            // duplicity lets this one escape as an unhandled exception (exit 30).
            throw new DuplicityException(DuplicityErrorCode.Unexpected, e.Message);
        }
    }

    private static string Pretty(long t) => DuplicityTime.Pretty(t, TimeZoneInfo.Local);
}
