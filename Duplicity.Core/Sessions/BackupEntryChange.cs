namespace Duplicity.Sessions;

/// <summary>What happened to an object since the previous backup.</summary>
public enum BackupEntryChange
{
    /// <summary>New since the previous backup (or any object of a full backup): stored whole.</summary>
    Added,

    /// <summary>Changed: stored as a delta (regular files) or a new snapshot.</summary>
    Modified,

    /// <summary>Gone since the previous backup: recorded as deleted.</summary>
    Deleted,
}
