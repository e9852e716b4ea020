using Microsoft.Win32.SafeHandles;

namespace Duplicity.Files;

/// <summary>
/// A regular file being restored: the data goes to a temporary sibling, which <see cref="Commit()"/>
/// renames to the final name. Disposing without committing deletes the temporary file, so a
/// half-written file never appears under its final name.
/// </summary>
internal sealed class RestoreFileWriter : IDisposable
{
    private readonly RestoreTreeWriter _owner;
    private readonly byte[] _tempPath;
    private bool _done;

    private readonly SafeFileHandle _handle;

    internal RestoreFileWriter(RestoreTreeWriter owner, IndexPath index, byte[] tempPath, SafeFileHandle handle)
    {
        _owner = owner;
        _handle = handle;
        Index = index;
        _tempPath = tempPath;
        Stream = new FileStream(handle, FileAccess.Write, bufferSize: 0);
    }

    /// <summary>The archive path being written.</summary>
    public IndexPath Index { get; }

    /// <summary>Where the data goes (unbuffered; callers write in large blocks).</summary>
    public FileStream Stream { get; }

    /// <summary>The temporary name (for tests and diagnostics).</summary>
    internal byte[] TempPath => _tempPath;

    /// <summary>Closes the data and moves the file to its final name, replacing what was there.</summary>
    public void Commit() => Commit(null);

    /// <summary>
    /// Like <see cref="Commit()"/>, but first sets owner, permissions and mtime on the open file, which
    /// saves the path lookups of setting them by name afterwards.
    /// </summary>
    public void Commit(FileMetadata? metadata)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        try
        {
            Stream.Flush();
            if (metadata != null) _owner.ApplyMetadata(_handle, metadata);
            Stream.Dispose();
            _owner.MoveIntoPlace(Index, _tempPath);
        }
        catch
        {
            TryDeleteTemp();
            throw;
        }
    }

    /// <summary>Discards the data and deletes the temporary file.</summary>
    public void Abort()
    {
        if (_done) return;
        _done = true;
        Stream.Dispose();
        TryDeleteTemp();
    }

    /// <summary>Aborts unless committed.</summary>
    public void Dispose() => Abort();

    private void TryDeleteTemp()
    {
        try
        {
            Posix.Unlink(_tempPath);
        }
        catch (PosixException e) when (e.Errno == PosixException.ENOENT)
        {
        }
    }
}
