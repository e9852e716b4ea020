namespace Duplicity.Sessions;

/// <summary>
/// Something a running backup tells its host, in order, through the <see cref="IProgress{T}"/> given to
/// <see cref="BackupSession.RunAsync"/>: <see cref="BackupEntryChanged"/>, <see cref="BackupVolumeStored"/>,
/// <see cref="BackupProgressed"/>. Reported on the backup's own threads: a host's handler must be quick
/// and must not block (<see cref="Progress{T}"/> moves it to a synchronization context where there is one).
/// </summary>
public abstract record BackupEvent;

/// <summary>An object enters the backup as new or changed, or is recorded as deleted (duplicity's <c>A</c>, <c>M</c>, <c>D</c>).</summary>
/// <param name="Path">The path relative to the backup root (<c>.</c> for the root).</param>
/// <param name="Change">What happened to it since the previous backup.</param>
public sealed record BackupEntryChanged(string Path, BackupEntryChange Change) : BackupEvent;

/// <summary>A volume reached the backend.</summary>
/// <param name="Number">The volume's number, from 1.</param>
/// <param name="Name">Its file name on the backend.</param>
/// <param name="Size">Its stored size in bytes.</param>
public sealed record BackupVolumeStored(int Number, string Name, long Size) : BackupEvent;

/// <summary>How far the backup has come (after each object).</summary>
/// <param name="Progress">Bytes and objects processed, the current path, volumes done.</param>
public sealed record BackupProgressed(TransferProgress Progress) : BackupEvent;
