using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Rclone;

/// <summary>
/// The rclone backend's log messages (ids in <see cref="DuplicityEventIds"/>, 5700s). Only rclone commands,
/// remote paths and exit codes: never flags, configuration or environment values.
/// </summary>
internal static partial class RcloneLog
{
    /// <param name="logger">The logger.</param>
    /// <param name="command">The rclone command (copyto, rcat, moveto, cat, lsjson, delete, deletefile).</param>
    /// <param name="operation">What it does, e.g. "upload of duplicity-full....vol1.difftar.gz".</param>
    [LoggerMessage(EventId = DuplicityEventIds.RcloneStarting, Level = LogLevel.Debug, Message = "Running rclone {Command} for the {Operation}")]
    public static partial void Starting(ILogger logger, string command, string operation);

    /// <param name="logger">The logger.</param>
    /// <param name="command">The rclone command.</param>
    /// <param name="exitCode">rclone's exit code.</param>
    [LoggerMessage(EventId = DuplicityEventIds.RcloneFinished, Level = LogLevel.Debug, Message = "rclone {Command} exited with code {ExitCode}")]
    public static partial void Finished(ILogger logger, string command, int exitCode);

    /// <param name="logger">The logger.</param>
    /// <param name="path">The rclone path of the temporary file.</param>
    [LoggerMessage(EventId = DuplicityEventIds.RcloneTemporaryRemoved, Level = LogLevel.Debug, Message = "Removed the temporary file {Path} of an upload that did not complete")]
    public static partial void TemporaryRemoved(ILogger logger, string path);

    /// <param name="logger">The logger.</param>
    /// <param name="path">The rclone path of the temporary file.</param>
    /// <param name="error">Why it could not be removed.</param>
    [LoggerMessage(EventId = DuplicityEventIds.RcloneTemporaryNotRemoved, Level = LogLevel.Warning, Message = "Could not remove the temporary file {Path} of an upload that did not complete: {Error}")]
    public static partial void TemporaryNotRemoved(ILogger logger, string path, string error);
}
