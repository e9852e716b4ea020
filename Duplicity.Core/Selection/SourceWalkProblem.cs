using Duplicity.Files;

namespace Duplicity.Selection;

/// <summary>Why the walker passed over part of the source tree.</summary>
public enum SourceWalkProblemKind
{
    /// <summary>The source root does not exist (nothing is walked).</summary>
    RootMissing,
    /// <summary>A socket, which a backup cannot hold (duplicity: "Skipping socket").</summary>
    SkippedSocket,
    /// <summary>The entry disappeared between listing its directory and examining it.</summary>
    Vanished,
    /// <summary>The entry could not be examined (counted as an error).</summary>
    CannotStat,
    /// <summary>A file or directory that would be backed up cannot be read (counted as an error;
    /// duplicity: "Error accessing possibly locked file").</summary>
    Unreadable,
    /// <summary>A directory's listing failed after the directory was examined (duplicity: "Error
    /// listing directory"); its contents are skipped.</summary>
    CannotList,
}

/// <summary>A report of one skipped or failed entry of the source tree.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Index">The entry's path relative to the source root.</param>
/// <param name="FullPath">The local path as raw bytes.</param>
/// <param name="Errno">The C errno when a call failed, else 0.</param>
public sealed record SourceWalkProblem(SourceWalkProblemKind Kind, IndexPath Index, byte[] FullPath, int Errno)
{
    /// <summary>True for problems that count in the backup statistics' Errors.</summary>
    public bool CountsAsError => Kind is SourceWalkProblemKind.CannotStat or SourceWalkProblemKind.Unreadable;
}
