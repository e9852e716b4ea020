namespace Duplicity.Files;

/// <summary>A regular file the portable writer restores: data under a temporary name beside its final one, renamed on commit.</summary>
internal sealed class PortableRestoreFileWriter : IRestoreFileWriter
{
    private readonly PortableRestoreTreeWriter _owner;
    private readonly string _tempPath;
    private readonly string _path;
    private bool _done;

    internal PortableRestoreFileWriter(PortableRestoreTreeWriter owner, IndexPath index, string tempPath, string path, FileStream stream)
    {
        _owner = owner;
        _tempPath = tempPath;
        _path = path;
        Index = index;
        Stream = stream;
    }

    public IndexPath Index { get; }

    public Stream Stream { get; }

    public void Commit(FileMetadata? metadata)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        try
        {
            Stream.Dispose();
            _owner.CommitFile(Index, _tempPath, _path, metadata);
        }
        catch
        {
            TryDeleteTemp();
            throw;
        }
    }

    public void Abort()
    {
        if (_done) return;
        _done = true;
        Stream.Dispose();
        TryDeleteTemp();
    }

    public void Dispose() => Abort();

    private void TryDeleteTemp()
    {
        try
        {
            File.Delete(_tempPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A hidden leftover; the restore already failed for a reason of its own.
        }
    }
}
