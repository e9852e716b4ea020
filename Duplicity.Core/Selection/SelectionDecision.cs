namespace Duplicity.Selection;

/// <summary>What the selection rules say about one path of the source tree.</summary>
public enum SelectionDecision
{
    /// <summary>Back the path up (and descend into it if it is a directory).</summary>
    Include,
    /// <summary>Skip the path and everything below it.</summary>
    Exclude,
    /// <summary>
    /// Directories only: descend without backing the directory up; it is backed up just before its
    /// first included descendant, and not at all if nothing below it is included.
    /// </summary>
    Scan,
}
