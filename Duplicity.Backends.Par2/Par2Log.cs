using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Par2;

/// <summary>The par2 wrapper's log messages (ids in <see cref="DuplicityEventIds"/>, 5800s), the events duplicity reports.</summary>
internal static partial class Par2Log
{
    /// <param name="logger">The logger.</param>
    /// <param name="name">The file the recovery files are made for.</param>
    [LoggerMessage(EventId = DuplicityEventIds.Par2Creating, Level = LogLevel.Information, Message = "Creating par2 recovery files for {Name}")]
    public static partial void Creating(ILogger logger, string name);

    /// <param name="logger">The logger.</param>
    /// <param name="name">The file.</param>
    /// <param name="exitCode">par2's exit code.</param>
    [LoggerMessage(EventId = DuplicityEventIds.Par2RetryingWithOneVolume, Level = LogLevel.Warning, Message = "par2 failed to create the recovery files of {Name} with the requested options (exit code {ExitCode}); retrying with one volume")]
    public static partial void RetryingWithOneVolume(ILogger logger, string name, int exitCode);

    /// <param name="logger">The logger.</param>
    /// <param name="name">The file.</param>
    /// <param name="exitCode">par2's exit code.</param>
    [LoggerMessage(EventId = DuplicityEventIds.Par2CreateFailed, Level = LogLevel.Error, Message = "par2 failed to create the recovery files of {Name} (exit code {ExitCode}); it is stored without them")]
    public static partial void CreateFailed(ILogger logger, string name, int exitCode);

    /// <param name="logger">The logger.</param>
    /// <param name="name">The damaged file.</param>
    [LoggerMessage(EventId = DuplicityEventIds.Par2Repairing, Level = LogLevel.Warning, Message = "{Name} is corrupt; repairing it from its par2 recovery files")]
    public static partial void Repairing(ILogger logger, string name);

    /// <param name="logger">The logger.</param>
    /// <param name="name">The repaired file.</param>
    [LoggerMessage(EventId = DuplicityEventIds.Par2Repaired, Level = LogLevel.Warning, Message = "Repaired {Name} from its par2 recovery files")]
    public static partial void Repaired(ILogger logger, string name);

    /// <param name="logger">The logger.</param>
    /// <param name="name">The damaged file.</param>
    /// <param name="exitCode">par2's exit code.</param>
    [LoggerMessage(EventId = DuplicityEventIds.Par2RepairFailed, Level = LogLevel.Error, Message = "Could not repair {Name} (par2 exit code {ExitCode}); it is used as downloaded")]
    public static partial void RepairFailed(ILogger logger, string name, int exitCode);

    /// <param name="logger">The logger.</param>
    /// <param name="name">The file without a par2 index.</param>
    [LoggerMessage(EventId = DuplicityEventIds.Par2IndexMissing, Level = LogLevel.Debug, Message = "{Name} has no par2 index file; it is used unverified")]
    public static partial void IndexMissing(ILogger logger, string name);
}
