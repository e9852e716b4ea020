namespace Duplicity.Sessions;

/// <summary>How a restore sets file owners (only when running as root).</summary>
public enum OwnershipRestore
{
    /// <summary>Owner and group by the names stored in the archive, falling back to the numbers (default).</summary>
    ByName,
    /// <summary>The numeric ids stored in the archive (<c>--numeric-owner</c>).</summary>
    Numeric,
    /// <summary>Leave owners as the restoring user (<c>--do-not-restore-ownership</c>).</summary>
    None,
}
