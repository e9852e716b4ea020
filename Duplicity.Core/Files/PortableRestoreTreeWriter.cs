using System.Text;
using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Files;

/// <summary>
/// The restore writer of the portable layer: the same order rules, path checks and temporary-name-then-rename
/// of regular files as <see cref="RestoreTreeWriter"/>, on .NET's path-based calls. Before anything is written,
/// every folder from the target down to the entry's parent is checked not to be a link, but names are resolved
/// again at each call, so a tree changed by someone else during the restore is not guarded against as the native
/// writer guards. Owners are never set; permission bits only where the OS has them (not on Windows; set-uid/set-gid
/// never, as this layer cannot tell whether it runs as root); named pipes and device nodes are skipped with a warning.
/// </summary>
internal sealed class PortableRestoreTreeWriter : IRestoreTreeWriter
{
    private const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const int SetIdBits = 0xC00;

    private readonly string _target;
    private readonly RestoreWriterPolicy _policy;
    private readonly ILogger _logger;
    private readonly RestoreEntryOrder _order = new();
    private readonly Stack<(IndexPath Index, FileMetadata Metadata)> _openDirectories = new();
    private bool _targetReady;
    private bool _rootWasObject;

    public PortableRestoreTreeWriter(ReadOnlySpan<byte> target, RestoreWriterPolicy? policy = null, ILogger? logger = null)
    {
        string text = PortableFileLayer.Text(target);
        while (text.Length > 1 && (text[^1] == '/' || text[^1] == Path.DirectorySeparatorChar)) text = text[..^1];
        if (text.Length == 0) throw new ArgumentException("The restore target is empty.", nameof(target));
        _target = Path.GetFullPath(text);
        _policy = policy ?? new RestoreWriterPolicy();
        _logger = logger ?? NullLogger.Instance;
    }

    public long SetIdBitsDropped { get; private set; }

    public long DeviceFilesSkipped { get; private set; }

    /// <summary>Always 0: this layer's metadata failures are errors (<see cref="RestoreWriterPolicy.IgnoreMetadataErrors"/> is honoured by the Linux writer).</summary>
    public long MetadataErrorsIgnored => 0;

    public void WriteDirectory(IndexPath index, FileMetadata metadata)
    {
        Begin(index, FileEntryType.Directory);
        Guard(index, () =>
        {
            string path = Prepare(index);
            if (!index.IsRoot)
            {
                if (Kind(path) is { } existing && existing != FileEntryType.Directory) Delete(path, existing);
                if (Kind(path) is null) CreatePrivateDirectory(path);
            }
        });
        _openDirectories.Push((index, metadata));
    }

    public void Complete()
    {
        if (_policy.Reordered)
        {
            // Pushed in arrival order (--rename), which need not put parents first: finish by depth instead.
            var all = _openDirectories.ToList();
            _openDirectories.Clear();
            foreach (var open in all.OrderByDescending(d => d.Index.GetComponents().Count))
                FinishDirectory(open.Index, open.Metadata);
            return;
        }
        while (_openDirectories.TryPop(out var open)) FinishDirectory(open.Index, open.Metadata);
    }

    public IRestoreFileWriter OpenRegularFileForWrite(IndexPath index, FileMetadata? metadata = null)
    {
        Begin(index, FileEntryType.Regular);
        return Guard(index, () =>
        {
            string path = Place(index, FileEntryType.Regular);
            string folder = Path.GetDirectoryName(path) ?? _target;
            for (int attempt = 0; ; attempt++)
            {
                string temp = Path.Combine(folder, Encoding.ASCII.GetString(RestoreNames.TempName()));
                try
                {
                    var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
                    if (!OperatingSystem.IsWindows()) options.UnixCreateMode = PrivateFileMode;
                    return (IRestoreFileWriter)new PortableRestoreFileWriter(this, index, temp, path, new FileStream(temp, options));
                }
                catch (IOException) when (attempt < 8 && File.Exists(temp))
                {
                }
            }
        });
    }

    public bool WriteSymlink(IndexPath index, FileMetadata metadata)
    {
        if (metadata.LinkTarget is not { Length: > 0 } target)
            throw new ArchiveCorruptException($"Symbolic link '{index}' has an empty target.");
        Begin(index, FileEntryType.Symlink);
        return Guard(index, () =>
        {
            string path = Place(index, FileEntryType.Symlink);
            RemoveExisting(path);
            try
            {
                File.CreateSymbolicLink(path, Encoding.UTF8.GetString(target));
            }
            catch (Exception e) when (OperatingSystem.IsWindows() && PortableErrors.ErrnoOf(e) == PosixException.EACCES)
            {
                // Windows lets only administrators (or Developer Mode) make links.
                DeviceFilesSkipped++;
                RestoreLog.SpecialFileSkipped(_logger, index, "this account may not create symbolic links on Windows");
                return false;
            }
            return true;
        });
    }

    public bool WriteFifo(IndexPath index, FileMetadata metadata)
    {
        Begin(index, FileEntryType.Fifo);
        DeviceFilesSkipped++;
        RestoreLog.SpecialFileSkipped(_logger, index, "the portable file layer cannot create named pipes");
        return false;
    }

    public bool WriteDevice(IndexPath index, FileMetadata metadata)
    {
        if (metadata.DeviceMajor < 0 || metadata.DeviceMinor < 0)
            throw new ArchiveCorruptException($"Device '{index}' has negative device numbers.");
        Begin(index, metadata.Type);
        DeviceFilesSkipped++;
        RestoreLog.DeviceSkipped(_logger, index, "the portable file layer cannot create device files");
        return false;
    }

    /// <summary>Permissions and mtime on the finished temporary file, then the rename to its final name.</summary>
    internal void CommitFile(IndexPath index, string temp, string path, FileMetadata? metadata)
    {
        Guard(index, () =>
        {
            if (metadata != null) ApplyMetadata(temp, index, metadata);
            if (Kind(path) == FileEntryType.Directory) Directory.Delete(path, recursive: false);
            File.Move(temp, path, overwrite: true);
            return 0;
        });
    }

    public void Dispose()
    {
    }

    private void Begin(IndexPath index, FileEntryType type)
    {
        RestoreNames.Validate(index);
        if (_policy.Reordered) return;
        _order.Admit(index, type);
        while (_openDirectories.TryPeek(out var open) && !(index.StartsWith(open.Index) && index != open.Index))
        {
            _openDirectories.Pop();
            FinishDirectory(open.Index, open.Metadata);
        }
    }

    private void FinishDirectory(IndexPath index, FileMetadata metadata) => Guard(index, () =>
    {
        string path = Prepare(index);
        ApplyMetadata(path, index, metadata);
        return 0;
    });

    private void ApplyMetadata(string path, IndexPath index, FileMetadata metadata)
    {
        if (!OperatingSystem.IsWindows())
        {
            int mode = metadata.Mode & 0xFFF;
            if ((mode & SetIdBits) != 0 && metadata.Type != FileEntryType.Directory)
            {
                SetIdBitsDropped++;
                RestoreLog.SetIdBitsDropped(_logger, index, "the portable file layer cannot tell whether it runs as root");
                mode &= ~SetIdBits;
            }
            File.SetUnixFileMode(path, (UnixFileMode)mode);
        }
        var time = DateTime.UnixEpoch.AddSeconds(metadata.MTime);
        if (metadata.Type == FileEntryType.Directory) Directory.SetLastWriteTimeUtc(path, time);
        else File.SetLastWriteTimeUtc(path, time);
    }

    /// <summary>The path of a non-root entry (its parent folders made and checked), or the target itself for a root object.</summary>
    private string Place(IndexPath index, FileEntryType type)
    {
        if (!index.IsRoot) return Prepare(index);
        if (!_policy.AllowSingleObject)
            throw new ArchiveCorruptException($"The archive's root entry is a {RestoreNames.Describe(type)}, not a directory.");
        if (_targetReady) throw new ArchiveCorruptException("The archive holds a root entry that is not a directory after other entries.");
        _rootWasObject = true;
        if (Path.GetFileName(_target).Length == 0) throw new UnsafeTargetException(_target, $"it cannot become a {RestoreNames.Describe(type)}");
        Directory.CreateDirectory(Path.GetDirectoryName(_target)!);
        return _target;
    }

    /// <summary>
    /// The local path of <paramref name="index"/>: the target made (or checked) first, then every folder between
    /// it and the entry checked to be a real folder (missing ones are made private, as the native writer does).
    /// </summary>
    private string Prepare(IndexPath index)
    {
        if (_rootWasObject) throw new ArchiveCorruptException("The archive holds entries after a root entry that is not a directory.");
        EnsureTarget();
        if (index.IsRoot) return _target;
        string path = _target;
        var components = index.ToString().Split('/');
        for (int i = 0; i < components.Length; i++)
        {
            if (OperatingSystem.IsWindows() && IsUnsafeOnWindows(components[i]))
                throw new UnsafePathException(index.ToString(), "it contains a name Windows would read as a separator, drive, stream or '..'");
            path = Path.Combine(path, components[i]);
            if (i == components.Length - 1) break;
            switch (Kind(path))
            {
                case null:
                    CreatePrivateDirectory(path);
                    break;
                case FileEntryType.Directory:
                    break;
                default:
                    throw new UnsafePathException(index.ToString(), "the target changed while restoring it (a folder on the way is not a folder)");
            }
        }
        // Whatever the OS makes of the names, the result must still be below the target.
        if (!Path.GetFullPath(path).StartsWith(Path.TrimEndingDirectorySeparator(_target) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new UnsafePathException(index.ToString(), "it resolves outside the target");
        return path;
    }

    /// <summary>
    /// Windows also splits at backslashes, reads <c>c:</c> as a drive and <c>name:stream</c> as a stream, and drops
    /// trailing dots and spaces (so <c>".. "</c> is <c>..</c>): such a component is refused rather than resolved.
    /// </summary>
    private static bool IsUnsafeOnWindows(string component)
    {
        if (component.AsSpan().IndexOfAny('\\', ':') >= 0) return true;
        var trimmed = component.TrimEnd('.', ' ');
        return trimmed.Length == 0;
    }

    private void EnsureTarget()
    {
        if (_targetReady) return;
        switch (Kind(_target))
        {
            case null:
                var parent = Path.GetDirectoryName(_target);
                if (parent != null) Directory.CreateDirectory(parent);
                CreatePrivateDirectory(_target);
                break;
            case FileEntryType.Directory:
                break;
            case FileEntryType.Symlink:
                throw new UnsafeTargetException(_target, "it is a symbolic link");
            default:
                throw new UnsafeTargetException(_target, "it is not a directory");
        }
        _targetReady = true;
    }

    /// <summary>What is at <paramref name="path"/> (a link is not followed), or null when nothing is.</summary>
    private static FileEntryType? Kind(string path) =>
        FileLayer.Portable.TryLstat(Encoding.UTF8.GetBytes(path), out var st, out int errno) ? st.EntryType ?? FileEntryType.Regular
        : errno is PosixException.ENOENT ? null
        : throw new PosixException("lstat", errno, Encoding.UTF8.GetBytes(path));

    private static void RemoveExisting(string path)
    {
        if (Kind(path) is { } kind) Delete(path, kind);
    }

    /// <summary>Removes what is in the way: a link or file itself, a folder only when empty (as rmdir).</summary>
    private static void Delete(string path, FileEntryType kind)
    {
        if (kind == FileEntryType.Directory) Directory.Delete(path, recursive: false);
        else File.Delete(path);
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, PrivateDirectoryMode);
    }

    private static void Guard(IndexPath index, Action action) => Guard(index, () =>
    {
        action();
        return 0;
    });

    /// <summary>Runs a step, turning .NET's file exceptions into the errors the native writer raises.</summary>
    private static T Guard<T>(IndexPath index, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is not PosixException && PortableErrors.IsFileError(e))
        {
            int errno = PortableErrors.ErrnoOf(e);
            if (errno is PosixException.ENOENT or PosixException.EEXIST or PosixException.ENOTDIR or PosixException.ELOOP)
                throw new UnsafePathException(index.ToString(), $"the target changed while restoring it ({e.Message})");
            throw new PosixException("restore", errno, Encoding.UTF8.GetBytes(index.ToString()));
        }
    }
}
