namespace Duplicity.Files;

/// <summary>
/// Writes restored objects under a target folder, in index order (see <see cref="RestoreTreeWriter"/> for
/// the Linux one and <see cref="PortableRestoreTreeWriter"/> for the portable one).
/// </summary>
internal interface IRestoreTreeWriter : IDisposable
{
    /// <summary>Files whose set-uid/set-gid bits were not restored.</summary>
    long SetIdBitsDropped { get; }

    /// <summary>Device nodes (and, on the portable layer, named pipes and links it cannot make) not created.</summary>
    long DeviceFilesSkipped { get; }

    /// <summary>Failures to set an owner, permissions or mtime only warned of (<see cref="RestoreWriterPolicy.IgnoreMetadataErrors"/>).</summary>
    long MetadataErrorsIgnored { get; }

    /// <summary>Creates or keeps a directory; its metadata is applied when the writer leaves it.</summary>
    void WriteDirectory(IndexPath index, FileMetadata metadata);

    /// <summary>Applies the metadata of every directory still open, deepest first.</summary>
    void Complete();

    /// <summary>
    /// Starts a regular file under a temporary name next to its final place; <paramref name="metadata"/>,
    /// when given, is what it will be committed with (the writer may create it with those permissions).
    /// </summary>
    IRestoreFileWriter OpenRegularFileForWrite(IndexPath index, FileMetadata? metadata = null);

    /// <summary>Creates a symbolic link with the raw target; false (with a warning) when the platform cannot.</summary>
    bool WriteSymlink(IndexPath index, FileMetadata metadata);

    /// <summary>Creates a named pipe; false (with a warning) when the platform cannot.</summary>
    bool WriteFifo(IndexPath index, FileMetadata metadata);

    /// <summary>Creates a device node; false (with a warning) when not allowed or not possible.</summary>
    bool WriteDevice(IndexPath index, FileMetadata metadata);
}

/// <summary>A regular file being restored: written under a temporary name, renamed into place on commit.</summary>
internal interface IRestoreFileWriter : IDisposable
{
    /// <summary>The archive path being written.</summary>
    IndexPath Index { get; }

    /// <summary>Where the data goes.</summary>
    Stream Stream { get; }

    /// <summary>Sets the metadata (when given), closes the data and moves the file to its final name.</summary>
    void Commit(FileMetadata? metadata);

    /// <summary>Discards the data and deletes the temporary file.</summary>
    void Abort();
}
