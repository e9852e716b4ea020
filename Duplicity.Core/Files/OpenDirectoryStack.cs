using System.Runtime.Versioning;
namespace Duplicity.Files;

/// <summary>
/// The open directories on the way from the restore target to the directory being written. A restore
/// walks in index order, so the next entry's parent is almost always the top of this stack or one
/// level below it, and reaching it costs at most one openat. Each level is opened relative to the
/// one above it and never through a symlink, so a directory swapped for a link by someone else makes
/// the lookup fail instead of leading outside the target.
/// </summary>
/// <remarks>
/// At most <see cref="MaxOpen"/> descriptors are held: below that depth the deepest entry replaces the
/// top one, leaving a gap that is walked again from the nearest open ancestor when needed.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class OpenDirectoryStack : IDisposable
{
    internal const int MaxOpen = 64;
    private const int MissingDirectoryMode = 0x1C0; // 0700: a directory the archive did not describe

    private readonly List<(IndexPath Path, DirectoryHandle Handle)> _open = [];

    /// <summary>Takes ownership of the open target directory.</summary>
    public OpenDirectoryStack(DirectoryHandle root) => _open.Add((IndexPath.Root, root));

    /// <summary>The target directory itself.</summary>
    public DirectoryHandle Root => _open[0].Handle;

    /// <summary>
    /// The open directory <paramref name="directory"/> (relative to the target), creating missing
    /// levels with mode 0700. The handle belongs to this stack and stays valid until the next call.
    /// </summary>
    /// <exception cref="UnsafePathException">A level is a symlink or not a directory.</exception>
    public DirectoryHandle Open(IndexPath directory)
    {
        while (_open.Count > 1 && !directory.StartsWith(_open[^1].Path)) Pop();
        var (top, handle) = _open[^1];
        if (top == directory) return handle;
        var relative = directory.RemovePrefix(top);
        // Several levels at once: one openat2 confined beneath the top when the kernel has it.
        if (relative.Bytes.Contains((byte)'/') && handle.TryOpenBeneath(relative.Bytes, out var deep, out _))
        {
            Push(directory, deep!);
            return deep!;
        }
        var path = top;
        foreach (var name in relative.GetComponents())
        {
            path = path.Append(name);
            handle = OpenOrCreate(handle, name, path);
            Push(path, handle);
        }
        return handle;
    }

    /// <summary>Closes whatever is open at or below <paramref name="path"/> (before it is removed or replaced).</summary>
    public void Forget(IndexPath path)
    {
        if (path.IsRoot) return;
        for (int i = _open.Count - 1; i >= 1; i--)
        {
            if (!_open[i].Path.StartsWith(path)) continue;
            _open[i].Handle.Dispose();
            _open.RemoveAt(i);
        }
    }

    private static DirectoryHandle OpenOrCreate(DirectoryHandle parent, byte[] name, IndexPath path)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (parent.TryOpenChild(name, out var child, out int errno)) return child!;
            if (errno == PosixException.ENOENT && attempt == 0)
            {
                int made = parent.TryMakeDirectory(name, MissingDirectoryMode);
                if (made is 0 or PosixException.EEXIST) continue;
                throw new PosixException("mkdir", made, name);
            }
            throw errno switch
            {
                PosixException.ELOOP => new UnsafePathException(path.ToString(), "it is a symbolic link, not a directory"),
                PosixException.ENOTDIR => new UnsafePathException(path.ToString(), "it is not a directory"),
                PosixException.ENOENT => new UnsafePathException(path.ToString(), "it disappeared while the restore was creating it"),
                _ => new PosixException("open", errno, name),
            };
        }
    }

    private void Push(IndexPath path, DirectoryHandle handle)
    {
        if (_open.Count >= MaxOpen)
        {
            _open[^1].Handle.Dispose();
            _open[^1] = (path, handle);
        }
        else _open.Add((path, handle));
    }

    private void Pop()
    {
        _open[^1].Handle.Dispose();
        _open.RemoveAt(_open.Count - 1);
    }

    /// <summary>Closes every directory, the target included.</summary>
    public void Dispose()
    {
        while (_open.Count > 0)
        {
            _open[^1].Handle.Dispose();
            _open.RemoveAt(_open.Count - 1);
        }
    }
}
