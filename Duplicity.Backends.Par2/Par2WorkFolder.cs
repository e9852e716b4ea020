using System.Security.Cryptography;

namespace Duplicity.Backends.Par2;

/// <summary>
/// A private folder (0700 on Unix) for one call, in which a file keeps its backend name: par2 records the
/// name it saw, and duplicity's recovery files name the stored file. Disposing removes it.
/// </summary>
internal sealed class Par2WorkFolder : IDisposable
{
    private Par2WorkFolder(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public static Par2WorkFolder Create(string? parent)
    {
        var root = parent ?? System.IO.Path.GetTempPath();
        var path = System.IO.Path.Combine(root, "duplicity-par2-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new Par2WorkFolder(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public IEnumerable<string> Par2Files() =>
        Directory.EnumerateFiles(Path).Select(System.IO.Path.GetFileName).OfType<string>()
            .Where(Par2FileNames.IsPar2).Order(StringComparer.Ordinal);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover in the temporary folder does no harm.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}

/// <summary>A downloaded (and maybe repaired) file handed to the caller; closing it removes its work folder.</summary>
internal sealed class Par2ResultStream : Stream
{
    private readonly FileStream _file;
    private readonly Par2WorkFolder _folder;

    public Par2ResultStream(FileStream file, Par2WorkFolder folder)
    {
        _file = file;
        _folder = folder;
    }

    public override bool CanRead => true;
    public override bool CanSeek => _file.CanSeek;
    public override bool CanWrite => false;
    public override long Length => _file.Length;

    public override long Position
    {
        get => _file.Position;
        set => _file.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _file.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _file.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _file.ReadAsync(buffer, cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
            _folder.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync().ConfigureAwait(false);
        _folder.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
