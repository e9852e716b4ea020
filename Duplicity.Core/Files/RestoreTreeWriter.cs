using System.Security.Cryptography;

namespace Duplicity.Files;

/// <summary>
/// Writes restored objects under a target folder and nowhere else. Every archive path is checked
/// component by component (no empty, <c>.</c>, <c>..</c> or NUL components) and every directory
/// between the target and the object is lstat'ed and must be a real directory, never a symlink,
/// even one this restore made. Regular files are written under temporary names opened with
/// O_EXCL|O_NOFOLLOW and renamed into place.
/// </summary>
/// <remarks>
/// <see cref="IndexPath.Root"/> is the target itself and may be of any type, which is how a single
/// restored file becomes the target path. Missing intermediate directories are created (mode 0700)
/// so a partial tree can still be written. Directories made through
/// <see cref="WriteDirectory"/> get their metadata only when the walk leaves them (see
/// <see cref="Complete"/>), so writing their contents does not disturb their mtime or permissions.
/// </remarks>
internal sealed class RestoreTreeWriter
{
    private const int PrivateDirectoryMode = 0x1C0; // 0700 until the stored mode is applied
    private const int PrivateFileMode = 0x180;      // 0600

    private readonly byte[] _root;
    private readonly RestoreOwnershipMode _ownership;
    private readonly bool _isRoot;
    private readonly Stack<(IndexPath Index, FileMetadata Metadata)> _openDirectories = new();
    private bool _rootReady;
    private IndexPath? _verifiedParent;

    /// <param name="targetRoot">The target path as raw bytes (a trailing NUL or slash is ignored).</param>
    /// <param name="ownership">How owners are restored; only honoured when running as root.</param>
    public RestoreTreeWriter(ReadOnlySpan<byte> targetRoot, RestoreOwnershipMode ownership = RestoreOwnershipMode.ByName)
    {
        if (!targetRoot.IsEmpty && targetRoot[^1] == 0) targetRoot = targetRoot[..^1];
        while (targetRoot.Length > 1 && targetRoot[^1] == (byte)'/') targetRoot = targetRoot[..^1];
        if (targetRoot.IsEmpty) throw new ArgumentException("The restore target is empty.", nameof(targetRoot));
        _root = targetRoot.ToArray();
        _ownership = ownership;
        _isRoot = Posix.GetEffectiveUserId() == 0;
    }

    /// <summary>The local path of an archive path (after validating its components).</summary>
    public byte[] GetFullPath(IndexPath index)
    {
        Validate(index);
        return index.IsRoot ? _root : LocalFile.Join(_root, index.Bytes);
    }

    /// <summary>Creates a directory (or keeps an existing one); its metadata is not touched.</summary>
    public void CreateDirectory(IndexPath index)
    {
        if (index.IsRoot)
        {
            EnsureRootDirectory();
            return;
        }
        byte[] path = PrepareParent(index);
        if (Posix.TryLstat(path, out var st, out int errno))
        {
            if (st.IsDirectory) return;
            RemoveExisting(path, st);
        }
        else if (errno != PosixException.ENOENT) throw new PosixException("lstat", errno, path);
        Posix.Mkdir(path, PrivateDirectoryMode);
    }

    /// <summary>
    /// Creates a directory and remembers its metadata, applied once the writer moves past the
    /// directory's contents (any later write outside it) or at <see cref="Complete"/>.
    /// </summary>
    public void WriteDirectory(IndexPath index, FileMetadata metadata)
    {
        FinishDirectoriesNotContaining(index);
        CreateDirectory(index);
        _openDirectories.Push((index, metadata));
    }

    /// <summary>Applies a directory's metadata now (call after its contents are written).</summary>
    public void FinishDirectory(IndexPath index, FileMetadata metadata) => ApplyMetadata(index, metadata, _ownership);

    /// <summary>Applies the metadata of every directory still open from <see cref="WriteDirectory"/>, deepest first.</summary>
    public void Complete()
    {
        while (_openDirectories.TryPop(out var open)) FinishDirectory(open.Index, open.Metadata);
    }

    /// <summary>Starts a regular file under a temporary name next to its final place.</summary>
    public RestoreFileWriter OpenRegularFileForWrite(IndexPath index)
    {
        FinishDirectoriesNotContaining(index);
        byte[] finalPath = index.IsRoot ? PrepareRootAsObject() : PrepareParent(index);
        int slash = Array.LastIndexOf(finalPath, (byte)'/');
        var directory = slash < 0 ? ReadOnlySpan<byte>.Empty : finalPath.AsSpan(0, slash == 0 ? 1 : slash);
        for (int attempt = 0; ; attempt++)
        {
            byte[] tempPath = directory.IsEmpty ? TempName() : LocalFile.Join(directory, TempName());
            try
            {
                var handle = Posix.CreateExclusive(tempPath, PrivateFileMode);
                return new RestoreFileWriter(this, index, tempPath, handle);
            }
            catch (PosixException e) when (e.Errno == PosixException.EEXIST && attempt < 8)
            {
            }
        }
    }

    /// <summary>Creates a symbolic link with the raw target bytes (the target is never checked or followed).</summary>
    public void CreateSymlink(IndexPath index, byte[] target)
    {
        if (target.Length == 0) throw new ArchiveCorruptException($"Symbolic link '{index}' has an empty target.");
        byte[] path = PrepareReplaceable(index);
        Posix.Symlink(target, path);
    }

    /// <summary>Creates a named pipe.</summary>
    public void CreateFifo(IndexPath index)
    {
        byte[] path = PrepareReplaceable(index);
        Posix.Mkfifo(path, PrivateFileMode);
    }

    /// <summary>Creates a character or block device node.</summary>
    public void CreateDevice(IndexPath index, FileEntryType type, int major, int minor)
    {
        if (major < 0 || minor < 0) throw new ArchiveCorruptException($"Device '{index}' has negative device numbers.");
        byte[] path = PrepareReplaceable(index);
        Posix.Mknod(path, type, PrivateFileMode, (uint)major, (uint)minor);
    }

    /// <summary>Sets ownership, permissions and mtime with this writer's ownership mode.</summary>
    public void ApplyMetadata(IndexPath index, FileMetadata metadata) => ApplyMetadata(index, metadata, _ownership);

    /// <summary>
    /// Sets ownership (only as root, lchown so a symlink itself changes), then permission bits and
    /// mtime (access time = now) for anything but a symlink. Nothing is followed.
    /// </summary>
    public void ApplyMetadata(IndexPath index, FileMetadata metadata, RestoreOwnershipMode ownership)
    {
        byte[] path = index.IsRoot ? _root : PrepareParent(index);
        var st = Posix.Lstat(path);
        if (_isRoot && ownership != RestoreOwnershipMode.Skip)
        {
            uint uid = ownership == RestoreOwnershipMode.ByName && metadata.UserName is { Length: > 0 } user
                ? OwnerNames.GetUserId(user) ?? (uint)metadata.Uid
                : (uint)metadata.Uid;
            uint gid = ownership == RestoreOwnershipMode.ByName && metadata.GroupName is { Length: > 0 } group
                ? OwnerNames.GetGroupId(group) ?? (uint)metadata.Gid
                : (uint)metadata.Gid;
            Posix.Lchown(path, uid, gid);
        }
        if (st.IsSymlink) return;
        // After chown, which clears setuid/setgid bits.
        Posix.Chmod(path, metadata.Mode & 0xFFF);
        Posix.SetModificationTime(path, metadata.MTime);
    }

    /// <summary>Sets owner (as root, unless skipped), permissions and mtime on an open regular file.</summary>
    internal void ApplyMetadata(Microsoft.Win32.SafeHandles.SafeFileHandle handle, FileMetadata metadata)
    {
        uint? uid = null, gid = null;
        if (_isRoot && _ownership != RestoreOwnershipMode.Skip)
        {
            uid = _ownership == RestoreOwnershipMode.ByName && metadata.UserName is { Length: > 0 } user
                ? OwnerNames.GetUserId(user) ?? (uint)metadata.Uid
                : (uint)metadata.Uid;
            gid = _ownership == RestoreOwnershipMode.ByName && metadata.GroupName is { Length: > 0 } group
                ? OwnerNames.GetGroupId(group) ?? (uint)metadata.Gid
                : (uint)metadata.Gid;
        }
        Posix.SetMetadata(handle, uid, gid, metadata.Mode & 0xFFF, metadata.MTime);
    }

    /// <summary>Renames a finished temporary file to the final name of <paramref name="index"/>.</summary>
    internal void MoveIntoPlace(IndexPath index, byte[] tempPath)
    {
        byte[] finalPath = index.IsRoot ? _root : PrepareParent(index);
        // Common case: nothing there yet, so one rename that refuses to replace does it all.
        if (Posix.TryRenameNoReplace(tempPath, finalPath)) return;
        if (Posix.TryLstat(finalPath, out var st, out int errno))
        {
            // rename replaces files, links and nodes atomically; only a directory is in the way.
            if (st.IsDirectory) RemoveExisting(finalPath, st);
        }
        else if (errno != PosixException.ENOENT) throw new PosixException("lstat", errno, finalPath);
        Posix.Rename(tempPath, finalPath);
    }

    private byte[] PrepareReplaceable(IndexPath index)
    {
        FinishDirectoriesNotContaining(index);
        byte[] path = index.IsRoot ? PrepareRootAsObject() : PrepareParent(index);
        if (Posix.TryLstat(path, out var st, out int errno)) RemoveExisting(path, st);
        else if (errno != PosixException.ENOENT) throw new PosixException("lstat", errno, path);
        return path;
    }

    /// <summary>Removes an object in the way; a directory only when empty.</summary>
    private void RemoveExisting(byte[] path, in PosixStat st)
    {
        _verifiedParent = null;
        if (st.IsDirectory) Posix.Rmdir(path);
        else Posix.Unlink(path);
    }

    private void FinishDirectoriesNotContaining(IndexPath index)
    {
        while (_openDirectories.TryPeek(out var open) && !(index.StartsWith(open.Index) && index != open.Index))
        {
            _openDirectories.Pop();
            FinishDirectory(open.Index, open.Metadata);
        }
    }

    /// <summary>
    /// Validates <paramref name="index"/> and makes sure every directory between the target and it
    /// is a real directory (creating missing ones); returns the object's full path.
    /// </summary>
    private byte[] PrepareParent(IndexPath index)
    {
        byte[] fullPath = GetFullPath(index);
        var parent = index.Parent;
        if (_verifiedParent is { } verified && verified == parent) return fullPath;
        EnsureRootDirectory();
        var relative = parent.Bytes;
        int offset = 0;
        while (!parent.IsRoot && offset <= relative.Length)
        {
            int slash = relative[offset..].IndexOf((byte)'/');
            int end = slash < 0 ? relative.Length : offset + slash;
            // The prefix of fullPath up to this component: root + '/' + relative[..end].
            int length = _root.Length + (_root[^1] == (byte)'/' ? 0 : 1) + end;
            byte[] prefix = fullPath.AsSpan(0, length).ToArray();
            if (Posix.TryLstat(prefix, out var st, out int errno))
            {
                if (!st.IsDirectory)
                {
                    string what = st.IsSymlink ? "a symbolic link" : "not a directory";
                    throw new UnsafePathException(index.ToString(), $"'{IndexPath.FromTrustedBytes(relative[..end].ToArray())}' is {what}");
                }
            }
            else if (errno == PosixException.ENOENT) Posix.Mkdir(prefix, PrivateDirectoryMode);
            else throw new PosixException("lstat", errno, prefix);
            offset = end + 1;
        }
        _verifiedParent = parent;
        return fullPath;
    }

    /// <summary>The target becomes the object itself: only the folder holding it must exist.</summary>
    private byte[] PrepareRootAsObject()
    {
        int slash = Array.LastIndexOf(_root, (byte)'/');
        if (slash > 0 && !Posix.TryStat(_root.AsSpan(0, slash), out _, out _)) CreateWithParents(_root.AsSpan(0, slash).ToArray());
        return _root;
    }

    private void EnsureRootDirectory()
    {
        if (_rootReady) return;
        // The target itself was chosen by the user, so a symlink to a directory is accepted there.
        if (Posix.TryStat(_root, out var st, out int errno))
        {
            if (!st.IsDirectory) throw new PosixException("restore into", PosixException.ENOTDIR, _root);
        }
        else if (errno == PosixException.ENOENT) CreateWithParents(_root);
        else throw new PosixException("stat", errno, _root);
        _rootReady = true;
    }

    private static void CreateWithParents(byte[] path)
    {
        for (int i = 1; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != (byte)'/') continue;
            var prefix = path.AsSpan(0, i);
            if (Posix.TryStat(prefix, out var st, out _) && st.IsDirectory) continue;
            try
            {
                // Parents follow the umask as mkdir -p; the target stays private until its stored mode is applied.
                Posix.Mkdir(prefix, i == path.Length ? PrivateDirectoryMode : 0x1FF);
            }
            catch (PosixException e) when (e.Errno == PosixException.EEXIST)
            {
            }
        }
        if (!Posix.TryStat(path, out var made, out int errno) || !made.IsDirectory)
            throw new PosixException("mkdir", errno == 0 ? PosixException.ENOTDIR : errno, path);
    }

    private static void Validate(IndexPath index)
    {
        if (index.IsRoot) return;
        var bytes = index.Bytes;
        foreach (var range in bytes.Split((byte)'/'))
        {
            var component = bytes[range];
            string? reason = component.IsEmpty ? "an empty path component (absolute path?)"
                : component.SequenceEqual("."u8) ? "a '.' component"
                : component.SequenceEqual(".."u8) ? "a '..' component"
                : component.Contains((byte)0) ? "a NUL byte"
                : null;
            if (reason is not null) throw new UnsafePathException(index.ToString(), $"it contains {reason}");
        }
    }

    private static byte[] TempName()
    {
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        return System.Text.Encoding.ASCII.GetBytes($".duplicity-{Convert.ToHexStringLower(random)}.part");
    }
}
