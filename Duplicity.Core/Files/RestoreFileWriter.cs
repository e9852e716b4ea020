using System.Runtime.Versioning;
using Duplicity.IO;
using Microsoft.Win32.SafeHandles;

namespace Duplicity.Files;

/// <summary>
/// A regular file being restored: the data goes to a temporary name in the file's own (open) directory,
/// which <see cref="Commit()"/> renames to the final name there. Disposing without committing deletes the
/// temporary file, so a half-written file never appears under its final name.
/// </summary>
/// <remarks>The directory handle belongs to the tree writer, which does nothing else while a file is open.</remarks>
[SupportedOSPlatform("linux")]
internal sealed class RestoreFileWriter : IRestoreFileWriter
{
    private readonly RestoreTreeWriter _owner;
    private readonly DirectoryHandle _directory;
    private readonly byte[] _name;
    private readonly byte[] _tempName;
    private readonly SafeFileHandle _handle;
    private bool _done;

    internal RestoreFileWriter(RestoreTreeWriter owner, IndexPath index, DirectoryHandle directory, byte[] name, byte[] tempName, SafeFileHandle handle)
    {
        _owner = owner;
        _directory = directory;
        _name = name;
        _tempName = tempName;
        _handle = handle;
        Index = index;
        Stream = new InlineFileStream(handle, FileAccess.Write);
    }

    /// <summary>The archive path being written.</summary>
    public IndexPath Index { get; }

    /// <summary>Where the data goes (unbuffered; callers write in large blocks).</summary>
    public FileStream Stream { get; }

    Stream IRestoreFileWriter.Stream => Stream;

    /// <summary>The temporary name in the file's directory (for tests and diagnostics).</summary>
    internal byte[] TempName => _tempName;

    /// <summary>Closes the data and moves the file to its final name, replacing what was there.</summary>
    public void Commit() => Commit(null);

    /// <summary>
    /// Like <see cref="Commit()"/>, but first sets owner, permissions and mtime on the open file, so
    /// no name is looked up for them.
    /// </summary>
    public void Commit(FileMetadata? metadata)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        try
        {
            Stream.Flush();
            if (metadata != null) _owner.ApplyMetadata(_handle, Index, metadata);
            Stream.Dispose();
            _owner.MoveIntoPlace(Index, _directory, _tempName, _name);
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
            _directory.Remove(_tempName, isDirectory: false);
        }
        catch (PosixException e) when (e.Errno == PosixException.ENOENT)
        {
        }
    }
}
