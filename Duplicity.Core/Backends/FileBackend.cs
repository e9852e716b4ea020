using System.Buffers;
using System.Runtime.CompilerServices;
using Duplicity.IO;

namespace Duplicity.Backends;

/// <summary>
/// Stores files in a local (or mounted) folder: duplicity's <c>file://</c> backend. The folder is created
/// when missing. An upload is written to a hidden temporary file in the same folder and then renamed over
/// the final name, so a file is either absent, its old content, or complete.
/// </summary>
/// <remarks>
/// Unlike duplicity, an upload is flushed to the disk (fsync) before the rename and the folder after it, so
/// a file reported stored is still there, whole, after a crash or power loss.
/// </remarks>
public sealed class FileBackend : IBackend
{
    /// <summary>Buffer size for copying and reading: large, so each system call moves a lot of data.</summary>
    internal const int BufferSize = 1024 * 1024;

    // COR_E_IO: an IOException that carries no errno.
    private const int GenericIOErrorHResult = unchecked((int)0x80131620);

    private readonly string _folder;

    /// <summary>
    /// Opens a folder as a backend, creating it when missing. A relative path is resolved against the
    /// current directory now.
    /// </summary>
    /// <param name="folder">The folder path.</param>
    public FileBackend(string folder)
        : this(folder, displayName: null)
    {
    }

    private FileBackend(string folder, string? displayName)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _folder = System.IO.Path.GetFullPath(folder);
        DisplayName = displayName ?? "file://" + (_folder.StartsWith('/') ? _folder : "/" + _folder.Replace('\\', '/'));
        try
        {
            Directory.CreateDirectory(_folder);
        }
        catch (Exception e) when (FileErrorTranslator.IsFileSystemError(e))
        {
            throw FileErrorTranslator.Translate(e, "create the folder", DisplayName);
        }
    }

    /// <summary>The absolute path of the folder.</summary>
    public string FolderPath => _folder;

    /// <inheritdoc/>
    public string DisplayName { get; }

    /// <summary>Opens the backend of a <c>file://</c> URL (<see cref="BackendUrl.HostAndPath"/> is the folder).</summary>
    internal static FileBackend FromUrl(BackendUrl url)
    {
        var folder = url.HostAndPath;
        // file:///C:/dir names a Windows drive path.
        if (OperatingSystem.IsWindows() && folder.Length >= 3 && folder[0] == '/' && folder[2] == ':')
            folder = folder[1..];
        if (folder.Length == 0)
            throw new DuplicityException(DuplicityErrorCode.BadUrl, $"Bad file:// path syntax: {url}");
        return new FileBackend(folder, url.ToString());
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<BackendFileInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Collect first so file-system errors can be translated (a yield cannot sit inside a try with catch).
        List<BackendFileInfo> files;
        try
        {
            files = [];
            foreach (var file in new DirectoryInfo(_folder).EnumerateFiles())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!UploadTempName.IsTemporary(file.Name))
                    files.Add(new BackendFileInfo(file.Name, file.Length));
            }
        }
        catch (Exception e) when (FileErrorTranslator.IsFileSystemError(e))
        {
            throw FileErrorTranslator.Translate(e, "list the folder", DisplayName);
        }
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var file in files)
            yield return file;
    }

    /// <inheritdoc/>
    public async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();

        var finalPath = PathOf(name);
        var tempPath = System.IO.Path.Combine(_folder, UploadTempName.Create(name));
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var readingSource = false;
        try
        {
            var target = OpenTemporary(tempPath, content);
            await using (target.ConfigureAwait(false))
            {
                while (true)
                {
                    readingSource = true;
                    var read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false);
                    readingSource = false;
                    if (read == 0)
                        break;
                    cancellationToken.ThrowIfCancellationRequested();
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                cancellationToken.ThrowIfCancellationRequested();
                RandomAccess.FlushToDisk(target.SafeFileHandle);
            }
            File.Move(tempPath, finalPath, overwrite: true);
            DurableFile.SyncFolderOf(finalPath);
        }
        catch (Exception e)
        {
            TryDelete(tempPath);
            // Errors of the source stream are the caller's, not the backend's: they propagate unchanged.
            if (!readingSource && FileErrorTranslator.IsFileSystemError(e))
                throw FileErrorTranslator.Translate(e, $"write '{name}'", DisplayName);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc/>
    public Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Stream stream = new FileStream(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
                BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult(stream);
        }
        catch (Exception e) when (FileErrorTranslator.IsFileSystemError(e))
        {
            throw FileErrorTranslator.Translate(e, $"read '{name}'", DisplayName);
        }
    }

    /// <inheritdoc/>
    public Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        BackendFileName.ValidateAll(names);
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                File.Delete(PathOf(name));
            }
            catch (DirectoryNotFoundException)
            {
                // The folder itself is gone, so the file is too.
            }
            catch (Exception e) when (FileErrorTranslator.IsFileSystemError(e))
            {
                throw FileErrorTranslator.Translate(e, $"delete '{name}'", DisplayName);
            }
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public override string ToString() => DisplayName;

    private string PathOf(string name)
    {
        // Windows also splits on '\' and ':' (drive, stream); BackendFileName refuses '\', so check ':' here.
        if (OperatingSystem.IsWindows() && name.Contains(':'))
            throw new ArgumentException($"A file name with ':' cannot be stored on Windows: '{name}'.", nameof(name));
        return System.IO.Path.Combine(_folder, name);
    }

    private FileStream OpenTemporary(string tempPath, Stream content)
    {
        // Reserving the whole size up front makes a full disk fail at once rather than after a long copy.
        long preallocate = 0;
        if (content.CanSeek)
            preallocate = Math.Max(0, content.Length - content.Position);
        try
        {
            // No FileStream buffer: every write is already a large block from the copy loop.
            return new FileStream(tempPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                PreallocationSize = preallocate,
            });
        }
        catch (IOException e) when (preallocate > 0 && e.GetType() == typeof(IOException) && e.HResult == GenericIOErrorHResult)
        {
            // .NET reports a failed preallocation (disk full, file too large) without its errno.
            throw new BackendException(BackendErrorKind.NoSpace,
                $"Could not reserve {preallocate} bytes in {DisplayName}: {e.Message}", e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (FileErrorTranslator.IsFileSystemError(e))
        {
            // Best effort: a leftover temporary file is never listed and is harmless.
        }
    }
}
