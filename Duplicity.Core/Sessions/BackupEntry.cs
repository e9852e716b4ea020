using Duplicity.Files;

namespace Duplicity.Sessions;

/// <summary>One object recorded in a backup: its path relative to the backup root and its metadata.</summary>
/// <param name="Path">The path (the root is <see cref="IndexPath.Root"/>, printed <c>.</c>).</param>
/// <param name="Metadata">Type, mode, owner, mtime, link target as recorded.</param>
public sealed record BackupEntry(IndexPath Path, FileMetadata Metadata);
