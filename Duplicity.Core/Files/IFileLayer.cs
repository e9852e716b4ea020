using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Duplicity.Files;

/// <summary>
/// Every local file system call a backup, restore, verify and the private temp and cache folders make.
/// Paths are raw bytes (UTF-8 where the platform has text names; a trailing NUL is allowed). Two
/// implementations: <see cref="LinuxFileLayer"/> over libc, and <see cref="PortableFileLayer"/> over .NET's
/// own file APIs for everywhere else; <see cref="FileLayer.Current"/> picks one. Failures throw
/// <see cref="PosixException"/> (the portable layer translates .NET's exceptions to errno values).
/// </summary>
internal interface IFileLayer
{
    /// <summary>"linux-native" or "portable" (for messages and tests).</summary>
    string Name { get; }

    /// <summary>
    /// Whether owners are real: false when every object reads as uid/gid 0 without names, so comparisons
    /// of owners (incremental change detection, verify) must not count them.
    /// </summary>
    bool KnowsOwners { get; }

    /// <summary>The effective user id, or null when the layer cannot tell.</summary>
    uint? EffectiveUserId { get; }

    /// <summary>lstat: information about the object itself, never a symlink's target.</summary>
    bool TryLstat(ReadOnlySpan<byte> path, out PosixStat st, out int errno);

    /// <summary>stat: follows symlinks.</summary>
    bool TryStat(ReadOnlySpan<byte> path, out PosixStat st, out int errno);

    /// <summary>
    /// The names in a directory (without <c>.</c> and <c>..</c>); the directory is not reached through a final
    /// symlink unless <paramref name="followSymlink"/> (<c>--copy-links</c>).
    /// </summary>
    List<byte[]> ReadDirectory(ReadOnlySpan<byte> path, bool followSymlink = false);

    /// <summary>True when this process may read the object.</summary>
    bool IsReadable(ReadOnlySpan<byte> path, out int errno);

    /// <summary>The metadata a backup stores for the object <paramref name="st"/> describes; null for what a backup cannot hold.</summary>
    FileMetadata? ReadMetadata(ReadOnlySpan<byte> path, in PosixStat st);

    /// <summary>
    /// Opens the regular file the walk saw, refusing anything swapped in since (<see cref="SourceFileChangedException"/>);
    /// with <paramref name="followSymlinks"/> the walk saw a symlink's target and the open follows it too.
    /// </summary>
    SafeFileHandle OpenSourceFile(ReadOnlySpan<byte> path, in PosixStat walked, bool followSymlinks = false);

    /// <summary>
    /// Starts reading the first <paramref name="length"/> bytes of a regular file the walk saw into the
    /// system's cache without waiting for them, where the platform can; best effort, never throws.
    /// </summary>
    void PrefetchSourceFile(ReadOnlySpan<byte> path, long length, bool followSymlinks = false);

    /// <summary>Flushes a folder's entries to the disk where the platform can.</summary>
    void SyncDirectory(ReadOnlySpan<byte> path);

    /// <summary>Removes an empty directory (never through a symlink).</summary>
    void RemoveDirectory(ReadOnlySpan<byte> path);

    /// <summary>Removes a file, link or node (a link itself, never its target).</summary>
    void RemoveFile(ReadOnlySpan<byte> path);

    /// <summary>Creates a new private (0700 where modes exist) folder from a template ending in <c>XXXXXX</c>; returns its path.</summary>
    string CreateUniqueDirectory(string template);

    /// <summary>The local id of a user name, or null when unknown.</summary>
    uint? LookupUserId(string name);

    /// <summary>The local id of a group name, or null when unknown.</summary>
    uint? LookupGroupId(string name);

    /// <summary>A writer that creates restored objects under <paramref name="target"/> and nowhere else.</summary>
    IRestoreTreeWriter CreateRestoreWriter(ReadOnlySpan<byte> target, RestoreWriterPolicy? policy, ILogger? logger);
}

/// <summary>The shorter forms of <see cref="IFileLayer"/> calls.</summary>
internal static class FileLayerExtensions
{
    /// <inheritdoc cref="IFileLayer.TryLstat"/>
    public static bool TryLstat(this IFileLayer layer, ReadOnlySpan<byte> path, out PosixStat st) => layer.TryLstat(path, out st, out _);

    /// <summary>lstat that throws on failure.</summary>
    public static PosixStat Lstat(this IFileLayer layer, ReadOnlySpan<byte> path) =>
        layer.TryLstat(path, out var st, out int errno) ? st : throw new PosixException("lstat", errno, path);

    /// <summary>The local id of a stored owner: its name's id here, else the stored number.</summary>
    public static long LocalUid(this IFileLayer layer, FileMetadata m) =>
        m.UserName is { Length: > 0 } u && layer.LookupUserId(u) is { } id ? id : m.Uid;

    /// <summary>The local id of a stored group: its name's id here, else the stored number.</summary>
    public static long LocalGid(this IFileLayer layer, FileMetadata m) =>
        m.GroupName is { Length: > 0 } g && layer.LookupGroupId(g) is { } id ? id : m.Gid;
}
