using System.Runtime.Versioning;
using System.Text;
using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Files;

/// <summary>
/// Writes restored objects under a target folder and nowhere else, even while someone else changes
/// the tree. The target is opened once without following a link at its last component; from then on
/// every object is created, renamed and changed relative to its open parent directory, which was
/// reached level by level without following any symlink (<see cref="OpenDirectoryStack"/>). Entries
/// must come in index order, once each, and never below a non-directory (<see cref="RestoreEntryOrder"/>).
/// Regular files are written under temporary names opened with O_EXCL|O_NOFOLLOW and renamed into place
/// within the same directory.
/// </summary>
/// <remarks>
/// The root entry of a tree is the target directory. Only with
/// <see cref="RestoreWriterPolicy.AllowSingleObject"/> may it be a file, link, pipe or device, created
/// at the target path itself. Missing intermediate directories are created (mode 0700) so a partial
/// tree can still be written. Directories get their metadata only when the walk leaves them (see
/// <see cref="Complete"/>), so writing their contents does not disturb their mtime or permissions.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class RestoreTreeWriter : IRestoreTreeWriter
{
    private const int PrivateDirectoryMode = 0x1C0; // 0700 until the stored mode is applied
    private const int PrivateFileMode = 0x180;      // 0600
    private const int ParentDirectoryMode = 0x1FF;  // folders above the target: 0777 less the umask, like mkdir -p
    private const int SetIdBits = 0xC00;            // 04000 set-uid | 02000 set-gid

    private readonly byte[] _target;
    private readonly RestoreWriterPolicy _policy;
    private readonly ILogger _logger;
    private readonly bool _isRoot;
    private readonly uint _effectiveUid;
    private readonly uint _effectiveGid;
    private readonly RestoreEntryOrder _order = new();
    private readonly Stack<(IndexPath Index, FileMetadata Metadata)> _openDirectories = new();
    private OpenDirectoryStack? _tree;
    private DirectoryHandle? _targetParent;

    /// <param name="target">The target path as raw bytes (a trailing NUL or slash is ignored).</param>
    /// <param name="policy">What may be created; null for the defaults.</param>
    /// <param name="logger">Receives the warnings about dropped set-id bits and skipped devices.</param>
    public RestoreTreeWriter(ReadOnlySpan<byte> target, RestoreWriterPolicy? policy = null, ILogger? logger = null)
    {
        if (!target.IsEmpty && target[^1] == 0) target = target[..^1];
        while (target.Length > 1 && target[^1] == (byte)'/') target = target[..^1];
        if (target.IsEmpty) throw new ArgumentException("The restore target is empty.", nameof(target));
        _target = target.ToArray();
        _policy = policy ?? new RestoreWriterPolicy();
        _logger = logger ?? NullLogger.Instance;
        _effectiveUid = Posix.GetEffectiveUserId();
        _effectiveGid = Posix.GetEffectiveGroupId();
        _isRoot = _effectiveUid == 0;
    }

    /// <summary>Files whose set-uid/set-gid bits were not restored.</summary>
    public long SetIdBitsDropped { get; private set; }

    /// <summary>Device nodes not created.</summary>
    public long DeviceFilesSkipped { get; private set; }

    /// <inheritdoc />
    public long MetadataErrorsIgnored { get; private set; }

    /// <summary>
    /// Creates a directory, or keeps an existing one (an existing non-directory, a symlink included,
    /// is removed first, never followed). Its metadata is applied once the writer moves past its
    /// contents (any later write outside it) or at <see cref="Complete"/>.
    /// </summary>
    public void WriteDirectory(IndexPath index, FileMetadata metadata)
    {
        Begin(index, FileEntryType.Directory);
        try
        {
            var tree = Tree();
            if (!index.IsRoot)
            {
                var parent = tree.Open(index.Parent);
                var name = index.Name.ToArray();
                int errno = parent.TryStatChild(name, out var st);
                if (errno == 0 && !st.IsDirectory)
                {
                    parent.Remove(name, isDirectory: false);
                    errno = PosixException.ENOENT;
                }
                if (errno == PosixException.ENOENT)
                {
                    int made = parent.TryMakeDirectory(name, PrivateDirectoryMode);
                    if (made != 0) throw new PosixException("mkdir", made, name);
                }
                else if (errno != 0) throw new PosixException("lstat", errno, name);
                // Opened now, so a swap for a link right after mkdir fails here and not later.
                tree.Open(index);
            }
        }
        catch (PosixException e) when (IsTreeChange(e.Errno))
        {
            throw Changed(index, e);
        }
        _openDirectories.Push((index, metadata));
    }

    /// <summary>Applies the metadata of every directory still open from <see cref="WriteDirectory"/>, deepest first.</summary>
    public void Complete()
    {
        if (_policy.Reordered)
        {
            // Pushed in arrival order, which need not put parents first: finish by depth instead.
            var all = _openDirectories.ToList();
            _openDirectories.Clear();
            foreach (var open in all.OrderByDescending(d => d.Index.GetComponents().Count))
                FinishDirectory(open.Index, open.Metadata);
            return;
        }
        while (_openDirectories.TryPop(out var open)) FinishDirectory(open.Index, open.Metadata);
    }

    /// <summary>
    /// Starts a regular file under a temporary name next to its final place; with the metadata it will
    /// be committed with, the file is created with its final permission bits when its owner will not
    /// change, which saves the commit a chmod.
    /// </summary>
    public RestoreFileWriter OpenRegularFileForWrite(IndexPath index, FileMetadata? metadata = null)
    {
        Begin(index, FileEntryType.Regular);
        try
        {
            var (directory, name) = Place(index, FileEntryType.Regular);
            for (int attempt = 0; ; attempt++)
            {
                byte[] tempName = RestoreNames.TempName();
                try
                {
                    var handle = directory.CreateFileExclusive(tempName, CreateMode(metadata));
                    return new RestoreFileWriter(this, index, directory, name, tempName, handle);
                }
                catch (PosixException e) when (e.Errno == PosixException.EEXIST && attempt < 8)
                {
                }
            }
        }
        catch (PosixException e) when (IsTreeChange(e.Errno))
        {
            throw Changed(index, e);
        }
    }

    /// <summary>Creates a symbolic link with the raw target bytes (never checked or followed) and sets its owner.</summary>
    public bool WriteSymlink(IndexPath index, FileMetadata metadata)
    {
        if (metadata.LinkTarget is not { Length: > 0 } target)
            throw new ArchiveCorruptException($"Symbolic link '{index}' has an empty target.");
        Begin(index, FileEntryType.Symlink);
        try
        {
            var (directory, name) = Place(index, FileEntryType.Symlink);
            RemoveExisting(directory, name, index);
            directory.CreateSymlink(name, target);
            ApplyMetadata(directory, name, index, metadata);
            return true;
        }
        catch (PosixException e) when (IsTreeChange(e.Errno))
        {
            throw Changed(index, e);
        }
    }

    /// <summary>Creates a named pipe with its metadata.</summary>
    public bool WriteFifo(IndexPath index, FileMetadata metadata)
    {
        Begin(index, FileEntryType.Fifo);
        try
        {
            var (directory, name) = Place(index, FileEntryType.Fifo);
            RemoveExisting(directory, name, index);
            directory.CreateFifo(name, PrivateFileMode);
            ApplyMetadata(directory, name, index, metadata);
            return true;
        }
        catch (PosixException e) when (IsTreeChange(e.Errno))
        {
            throw Changed(index, e);
        }
    }

    /// <summary>
    /// Creates a character or block device node with its metadata; false (with a warning) when this
    /// process is not root or the policy refuses devices.
    /// </summary>
    public bool WriteDevice(IndexPath index, FileMetadata metadata)
    {
        if (metadata.DeviceMajor < 0 || metadata.DeviceMinor < 0)
            throw new ArchiveCorruptException($"Device '{index}' has negative device numbers.");
        Begin(index, metadata.Type);
        if (!_isRoot || !_policy.AllowDeviceFiles)
        {
            DeviceFilesSkipped++;
            RestoreLog.DeviceSkipped(_logger, index,
                _isRoot ? "device files are not allowed by the restore options" : "only root can create device files");
            return false;
        }
        try
        {
            var (directory, name) = Place(index, metadata.Type);
            RemoveExisting(directory, name, index);
            directory.CreateDevice(name, metadata.Type, PrivateFileMode, (uint)metadata.DeviceMajor, (uint)metadata.DeviceMinor);
            ApplyMetadata(directory, name, index, metadata);
            return true;
        }
        catch (PosixException e) when (IsTreeChange(e.Errno))
        {
            throw Changed(index, e);
        }
    }

    IRestoreFileWriter IRestoreTreeWriter.OpenRegularFileForWrite(IndexPath index, FileMetadata? metadata) => OpenRegularFileForWrite(index, metadata);

    /// <summary>
    /// The mode a new regular file is created with: 0600, or its final permission bits (never set-id
    /// ones) when it will keep the owner and group this process gives it. Either way no one can read
    /// it before its commit who could not read it after (its folder is also 0700 until finished).
    /// </summary>
    private int CreateMode(FileMetadata? metadata)
    {
        if (metadata == null) return PrivateFileMode;
        var (uid, gid) = Owner(metadata);
        bool sameOwner = uid == null || (uid == _effectiveUid && gid == _effectiveGid);
        return sameOwner ? metadata.Mode & 0x1FF : PrivateFileMode;
    }

    /// <summary>Sets owner (as root, unless skipped), permissions and mtime on an open regular file.</summary>
    internal void ApplyMetadata(Microsoft.Win32.SafeHandles.SafeFileHandle handle, IndexPath index, FileMetadata metadata) =>
        SetMetadata(handle, index, Resolve(index, metadata));

    /// <summary>Renames a finished temporary file to its final name in the same directory.</summary>
    internal void MoveIntoPlace(IndexPath index, DirectoryHandle directory, byte[] tempName, byte[] name)
    {
        try
        {
            // Common case: nothing there yet, so one rename that refuses to replace does it all.
            if (directory.TryRenameNoReplace(tempName, name, out int errno)) return;
            // EINVAL: the file system has no RENAME_NOREPLACE; look, then rename.
            if (errno is not (PosixException.EEXIST or PosixException.EINVAL)) throw new PosixException("rename", errno, name);
            int statErrno = directory.TryStatChild(name, out var st);
            // rename replaces files, links and nodes atomically; only a directory is in the way.
            if (statErrno == 0 && st.IsDirectory)
            {
                _tree?.Forget(index);
                directory.Remove(name, isDirectory: true);
            }
            else if (statErrno is not (0 or PosixException.ENOENT)) throw new PosixException("lstat", statErrno, name);
            directory.Rename(tempName, name);
        }
        catch (PosixException e) when (IsTreeChange(e.Errno))
        {
            throw Changed(index, e);
        }
    }

    /// <summary>Closes the target and every open directory.</summary>
    public void Dispose()
    {
        _tree?.Dispose();
        _targetParent?.Dispose();
    }

    private void Begin(IndexPath index, FileEntryType type)
    {
        RestoreNames.Validate(index);
        if (_policy.Reordered) return;
        _order.Admit(index, type);
        FinishDirectoriesNotContaining(index);
    }

    /// <summary>The open directory that will hold <paramref name="index"/>, and its name there.</summary>
    private (DirectoryHandle Directory, byte[] Name) Place(IndexPath index, FileEntryType type) =>
        index.IsRoot ? PlaceTargetAsObject(type) : (Tree().Open(index.Parent), index.Name.ToArray());

    private void FinishDirectoriesNotContaining(IndexPath index)
    {
        while (_openDirectories.TryPeek(out var open) && !(index.StartsWith(open.Index) && index != open.Index))
        {
            _openDirectories.Pop();
            FinishDirectory(open.Index, open.Metadata);
        }
    }

    /// <summary>Owner, permissions and mtime of a directory, set on its open handle.</summary>
    private void FinishDirectory(IndexPath index, FileMetadata metadata)
    {
        try
        {
            var directory = Tree().Open(index);
            SetMetadata(directory.Handle, index, Resolve(index, metadata));
        }
        catch (PosixException e) when (IsTreeChange(e.Errno))
        {
            throw Changed(index, e);
        }
    }

    /// <summary>
    /// Owner (only as root, the object itself), then permission bits and mtime for anything but a
    /// symlink (Linux cannot chmod one). The name is resolved in <paramref name="directory"/> only and
    /// never followed, so swapping it for a link makes these calls fail rather than reach elsewhere.
    /// </summary>
    private void ApplyMetadata(DirectoryHandle directory, byte[] name, IndexPath index, FileMetadata metadata)
    {
        var (uid, gid) = Owner(metadata);
        if (uid is { } u) Tolerated(index, () => directory.ChangeOwner(name, u, gid ?? uint.MaxValue));
        if (metadata.Type == FileEntryType.Symlink) return;
        // After chown, which clears set-uid/set-gid bits.
        Tolerated(index, () => directory.ChangeMode(name, PermittedMode(index, metadata)));
        Tolerated(index, () => directory.SetModificationTime(name, metadata.MTime));
    }

    /// <summary>Owner, permission bits and mtime of an open object, each tried on its own when failures are tolerated.</summary>
    /// <remarks>
    /// Owner and mode are set only when the object's differ (one fstat tells): a chown or chmod that
    /// changes nothing still updates the inode's ctime and dirties its inode-table block: about 7 µs a
    /// file in a bare loop on ext4, 4 % of the CPU samples of a restore of the benchmark's 30,000 small files.
    /// </remarks>
    private void SetMetadata(Microsoft.Win32.SafeHandles.SafeFileHandle handle, IndexPath index, ResolvedMetadata metadata)
    {
        var (uid, gid, mode, mtime) = metadata;
        var now = PosixDescriptor.Fstat(handle);
        bool chowned = false;
        if (uid is { } u && (now.Uid != u || (gid is { } g && now.Gid != g)))
        {
            Tolerated(index, () => Posix.SetOwner(handle, u, gid ?? uint.MaxValue));
            chowned = true;
        }
        // After a chown, which may have cleared set-id bits, the mode is always set.
        if (chowned || (now.Mode & 0xFFF) != mode) Tolerated(index, () => Posix.SetMode(handle, mode));
        Tolerated(index, () => Posix.SetModificationTime(handle, mtime));
    }

    /// <summary>Owner (null: left as it is), permission bits and mtime as they are to be set.</summary>
    private ResolvedMetadata Resolve(IndexPath index, FileMetadata metadata)
    {
        var (uid, gid) = Owner(metadata);
        return new ResolvedMetadata(uid, gid, PermittedMode(index, metadata), metadata.MTime);
    }

    private readonly record struct ResolvedMetadata(uint? Uid, uint? Gid, int Mode, long MTime);

    /// <summary>
    /// Runs one metadata call; with <see cref="RestoreWriterPolicy.IgnoreMetadataErrors"/> its failure is a warning,
    /// except one showing that the tree changed under the writer (that is never ignored).
    /// </summary>
    private void Tolerated(IndexPath index, Action apply)
    {
        if (!_policy.IgnoreMetadataErrors)
        {
            apply();
            return;
        }
        try
        {
            apply();
        }
        catch (PosixException e) when (!IsTreeChange(e.Errno))
        {
            MetadataErrorsIgnored++;
            RestoreLog.MetadataErrorIgnored(_logger, index, e.Message);
        }
    }

    private (uint? Uid, uint? Gid) Owner(FileMetadata metadata)
    {
        var ownership = _policy.Ownership;
        if (!_isRoot || ownership == RestoreOwnershipMode.Skip) return (null, null);
        uint uid = ownership == RestoreOwnershipMode.ByName && metadata.UserName is { Length: > 0 } user
            ? OwnerNames.GetUserId(user) ?? (uint)metadata.Uid
            : (uint)metadata.Uid;
        uint gid = ownership == RestoreOwnershipMode.ByName && metadata.GroupName is { Length: > 0 } group
            ? OwnerNames.GetGroupId(group) ?? (uint)metadata.Gid
            : (uint)metadata.Gid;
        return (uid, gid);
    }

    /// <summary>
    /// The stored permission bits, less set-uid/set-gid on anything but a directory unless root
    /// restores with them allowed: an ordinary user must not hand out programs running as itself.
    /// </summary>
    private int PermittedMode(IndexPath index, FileMetadata metadata)
    {
        int mode = metadata.Mode & 0xFFF;
        if ((mode & SetIdBits) == 0 || metadata.Type == FileEntryType.Directory) return mode;
        if (_isRoot && _policy.AllowSetIdBits) return mode;
        SetIdBitsDropped++;
        RestoreLog.SetIdBitsDropped(_logger, index,
            _isRoot ? "set-id bits are not allowed by the restore options" : "the restore does not run as root");
        return mode & ~SetIdBits;
    }

    /// <summary>Removes an object in the way (a directory only when empty); a symlink is removed, not followed.</summary>
    private void RemoveExisting(DirectoryHandle directory, byte[] name, IndexPath index)
    {
        int errno = directory.TryStatChild(name, out var st);
        if (errno == PosixException.ENOENT) return;
        if (errno != 0) throw new PosixException("lstat", errno, name);
        if (st.IsDirectory) _tree?.Forget(index);
        directory.Remove(name, st.IsDirectory);
    }

    /// <summary>The tree below the target, opened (and the target created) on first use.</summary>
    private OpenDirectoryStack Tree()
    {
        if (_tree != null) return _tree;
        if (_targetParent != null)
            throw new ArchiveCorruptException("The archive holds entries after a root entry that is not a directory.");
        _tree = new OpenDirectoryStack(OpenTargetDirectory());
        return _tree;
    }

    /// <summary>Opens the target directory, creating it when missing; a symlink there is refused, never followed.</summary>
    private DirectoryHandle OpenTargetDirectory()
    {
        var (parentPath, name) = SplitTarget();
        // "/", "." or "..": nothing at the end can be a symlink.
        if (name == null) return DirectoryHandle.OpenPath(_target, followLast: true);
        using var parent = OpenTargetParent(parentPath);
        int errno = parent.TryStatChild(name, out _);
        if (errno == PosixException.ENOENT)
        {
            // Private until the root entry's stored mode is applied.
            int made = parent.TryMakeDirectory(name, PrivateDirectoryMode);
            if (made is not (0 or PosixException.EEXIST)) throw new PosixException("mkdir", made, _target);
        }
        else if (errno != 0) throw new PosixException("lstat", errno, _target);
        if (parent.TryOpenChild(name, out var directory, out errno)) return directory!;
        throw errno switch
        {
            PosixException.ELOOP => new UnsafeTargetException(TargetText, "it is a symbolic link"),
            PosixException.ENOTDIR => new UnsafeTargetException(TargetText, "it is not a directory"),
            _ => new PosixException("open", errno, _target),
        };
    }

    /// <summary>The folder holding the target and the target's name, when the root entry is one object.</summary>
    private (DirectoryHandle Directory, byte[] Name) PlaceTargetAsObject(FileEntryType type)
    {
        if (!_policy.AllowSingleObject)
            throw new ArchiveCorruptException($"The archive's root entry is a {RestoreNames.Describe(type)}, not a directory.");
        var (parentPath, name) = SplitTarget();
        if (name == null) throw new UnsafeTargetException(TargetText, $"it cannot become a {RestoreNames.Describe(type)}");
        _targetParent ??= OpenTargetParent(parentPath);
        return (_targetParent, name);
    }

    /// <summary>The target's folder (as the user named it, links included) and last name; null name for "/", "." or "..".</summary>
    private (byte[] Parent, byte[]? Name) SplitTarget()
    {
        int slash = Array.LastIndexOf(_target, (byte)'/');
        byte[] name = _target[(slash + 1)..];
        if (name.Length == 0 || name.AsSpan().SequenceEqual("."u8) || name.AsSpan().SequenceEqual(".."u8)) return (_target, null);
        byte[] parent = slash < 0 ? "."u8.ToArray() : slash == 0 ? "/"u8.ToArray() : _target[..slash];
        return (parent, name);
    }

    private static DirectoryHandle OpenTargetParent(byte[] parentPath)
    {
        if (!Posix.TryStat(parentPath, out _, out _)) CreateWithParents(parentPath);
        return DirectoryHandle.OpenPath(parentPath, followLast: true);
    }

    /// <summary>Creates the folders above the target that are missing (the user's own path: links there are followed).</summary>
    private static void CreateWithParents(byte[] path)
    {
        for (int i = 1; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != (byte)'/') continue;
            var prefix = path.AsSpan(0, i);
            if (Posix.TryStat(prefix, out var st, out _) && st.IsDirectory) continue;
            try
            {
                Posix.Mkdir(prefix, ParentDirectoryMode);
            }
            catch (PosixException e) when (e.Errno == PosixException.EEXIST)
            {
            }
        }
    }

    private string TargetText => Encoding.UTF8.GetString(_target);

    /// <summary>Failures that mean the tree changed under the restore (a directory swapped, a name gone).</summary>
    private static bool IsTreeChange(int errno) =>
        errno is PosixException.ELOOP or PosixException.ENOTDIR or PosixException.ENOENT or PosixException.EEXIST or PosixException.EOPNOTSUPP;

    private static UnsafePathException Changed(IndexPath index, PosixException e) =>
        new(index.ToString(), $"the target changed while restoring it ({e.Message})");
}
