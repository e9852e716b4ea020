namespace Duplicity.Files;

/// <summary>How a restore sets owners and groups (only ever when running as root).</summary>
internal enum RestoreOwnershipMode
{
    /// <summary>Leave ownership as created (duplicity's --do-not-restore-ownership).</summary>
    Skip,
    /// <summary>Map the stored user and group names to local ids, falling back to the stored ids.</summary>
    ByName,
    /// <summary>Use the stored numeric ids (duplicity's --numeric-owner).</summary>
    Numeric,
}
