namespace Duplicity.Sessions;

/// <summary>What kind of backup a <see cref="BackupSession"/> makes.</summary>
public enum BackupMode
{
    /// <summary>Full when no usable chain exists (or the last full is too old), incremental otherwise.</summary>
    Auto,
    /// <summary>Always a full backup.</summary>
    Full,
    /// <summary>Always an incremental; fails with code 17 when no signature chain exists.</summary>
    Incremental,
}
