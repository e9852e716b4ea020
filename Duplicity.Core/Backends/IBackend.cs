namespace Duplicity.Backends;

/// <summary>
/// A place that stores backup files: a flat namespace of file names (no folders), each holding bytes.
/// Every operation is asynchronous and streams; implementations are safe for concurrent calls on
/// different names. Failures are reported as <see cref="BackendException"/>; invalid names as
/// <see cref="ArgumentException"/> (see <see cref="BackendFileName.Validate"/>).
/// </summary>
/// <remarks>
/// The contract is deliberately tiny, after restic's backend interface: retries, logging and
/// throttling are decorators (see <see cref="DelegatingBackend"/>), not part of each backend.
/// </remarks>
public interface IBackend : IAsyncDisposable
{
    /// <summary>
    /// A human-readable location of this backend (its URL), with any password replaced by <c>***</c>.
    /// Safe to log.
    /// </summary>
    string DisplayName { get; }

    /// <summary>
    /// Lists every complete file with its size in bytes, in no particular order. Uploads still in
    /// progress (or abandoned temporary files) are never reported.
    /// </summary>
    /// <param name="cancellationToken">Stops the listing.</param>
    IAsyncEnumerable<BackendFileInfo> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="content"/> (read from its current position to its end) under
    /// <paramref name="name"/>, replacing any existing file of that name. The store is atomic: if
    /// reading the content fails or the call is cancelled, no partial file is visible under
    /// <paramref name="name"/> and a previous file of that name is left intact.
    /// </summary>
    /// <param name="name">The file name; see <see cref="BackendFileName.Validate"/>.</param>
    /// <param name="content">The bytes to store; not disposed by this call.</param>
    /// <param name="cancellationToken">Cancels the upload (an <see cref="OperationCanceledException"/> is thrown).</param>
    Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a file for reading. The caller disposes the returned stream.
    /// </summary>
    /// <param name="name">The file name; see <see cref="BackendFileName.Validate"/>.</param>
    /// <param name="cancellationToken">Cancels opening the file.</param>
    /// <returns>A readable stream positioned at the start of the file.</returns>
    /// <exception cref="BackendException">With <see cref="BackendErrorKind.NotFound"/> when no such file exists.</exception>
    Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a file for reading from byte <paramref name="offset"/> on: what a retry uses to resume a download
    /// that broke off in the middle. The default opens the file from its start and skips
    /// <paramref name="offset"/> bytes; backends that can start mid-file (a ranged GET, a seek) override it.
    /// </summary>
    /// <param name="name">The file name; see <see cref="BackendFileName.Validate"/>.</param>
    /// <param name="offset">The first byte to read; at or past the end of the file gives an empty stream.</param>
    /// <param name="cancellationToken">Cancels opening the file.</param>
    /// <returns>A readable stream whose first byte is byte <paramref name="offset"/> of the file.</returns>
    /// <exception cref="BackendException">With <see cref="BackendErrorKind.NotFound"/> when no such file exists.</exception>
    async Task<Stream> GetFromAsync(string name, long offset, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var stream = await GetAsync(name, cancellationToken).ConfigureAwait(false);
        try
        {
            await StreamOffset.SkipAsync(stream, offset, cancellationToken).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Deletes the named files. Names that do not exist are ignored.
    /// </summary>
    /// <param name="names">The file names; each is validated before anything is deleted.</param>
    /// <param name="cancellationToken">Stops deleting; files already deleted stay deleted.</param>
    Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default);
}
