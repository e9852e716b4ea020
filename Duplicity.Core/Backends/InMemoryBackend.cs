using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Duplicity.Backends;

/// <summary>
/// A thread-safe backend that keeps files in memory, with the same semantics as every other backend
/// (an upload becomes visible only once its whole stream was read). Meant for host applications' own
/// tests: inspect what was stored with <see cref="Snapshot"/>, corrupt or seed files with
/// <see cref="SetContent"/>, and rehearse error paths by injecting failures with <see cref="FailNextPutWith"/>
/// and its siblings.
/// </summary>
/// <remarks>Disposing does not clear the files, so a test may reopen the "same" storage.</remarks>
public sealed class InMemoryBackend : IBackend
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Exception> _listFailures = new();
    private readonly ConcurrentQueue<Exception> _putFailures = new();
    private readonly ConcurrentQueue<Exception> _getFailures = new();
    private readonly ConcurrentQueue<Exception> _deleteFailures = new();
    private long _listCount, _putCount, _getCount, _deleteCount;

    /// <summary>Creates an empty in-memory backend.</summary>
    /// <param name="name">Shown in <see cref="DisplayName"/> as <c>memory://name</c>.</param>
    public InMemoryBackend(string name = "default")
    {
        ArgumentNullException.ThrowIfNull(name);
        DisplayName = "memory://" + name;
    }

    /// <inheritdoc/>
    public string DisplayName { get; }

    /// <summary>How many times <see cref="ListAsync"/> was called (including failed calls).</summary>
    public long ListCount => Interlocked.Read(ref _listCount);

    /// <summary>How many times <see cref="PutAsync"/> was called (including failed calls).</summary>
    public long PutCount => Interlocked.Read(ref _putCount);

    /// <summary>How many times <see cref="GetAsync"/> was called (including failed calls).</summary>
    public long GetCount => Interlocked.Read(ref _getCount);

    /// <summary>How many times <see cref="DeleteAsync"/> was called (including failed calls).</summary>
    public long DeleteCount => Interlocked.Read(ref _deleteCount);

    /// <summary>
    /// A copy of every stored file, sorted by name (ordinal). Later changes to the backend do not show in it.
    /// </summary>
    public IReadOnlyDictionary<string, byte[]> Snapshot()
    {
        var copy = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, content) in _files)
            copy[name] = (byte[])content.Clone();
        return copy;
    }

    /// <summary>Stores a file directly (a copy of <paramref name="content"/>), e.g. to seed or corrupt it in a test.</summary>
    /// <param name="name">The file name.</param>
    /// <param name="content">The new content.</param>
    public void SetContent(string name, ReadOnlySpan<byte> content)
    {
        BackendFileName.Validate(name);
        _files[name] = content.ToArray();
    }

    /// <summary>Makes the next <paramref name="times"/> calls of <see cref="PutAsync"/> throw <paramref name="exception"/> without storing anything.</summary>
    /// <param name="exception">The exception to throw, e.g. a <see cref="BackendException"/> of some kind.</param>
    /// <param name="times">How many consecutive calls fail.</param>
    public void FailNextPutWith(Exception exception, int times = 1) => Enqueue(_putFailures, exception, times);

    /// <summary>Makes the next <paramref name="times"/> calls of <see cref="GetAsync"/> throw <paramref name="exception"/>.</summary>
    /// <param name="exception">The exception to throw.</param>
    /// <param name="times">How many consecutive calls fail.</param>
    public void FailNextGetWith(Exception exception, int times = 1) => Enqueue(_getFailures, exception, times);

    /// <summary>Makes the next <paramref name="times"/> listings throw <paramref name="exception"/>.</summary>
    /// <param name="exception">The exception to throw.</param>
    /// <param name="times">How many consecutive calls fail.</param>
    public void FailNextListWith(Exception exception, int times = 1) => Enqueue(_listFailures, exception, times);

    /// <summary>Makes the next <paramref name="times"/> calls of <see cref="DeleteAsync"/> throw <paramref name="exception"/> without deleting anything.</summary>
    /// <param name="exception">The exception to throw.</param>
    /// <param name="times">How many consecutive calls fail.</param>
    public void FailNextDeleteWith(Exception exception, int times = 1) => Enqueue(_deleteFailures, exception, times);

    /// <inheritdoc/>
    public async IAsyncEnumerable<BackendFileInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _listCount);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowInjected(_listFailures);
        // Take a consistent copy, then hand it out.
        var files = _files.ToArray();
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var (name, content) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new BackendFileInfo(name, content.LongLength);
        }
    }

    /// <inheritdoc/>
    public async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _putCount);
        BackendFileName.Validate(name);
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowInjected(_putFailures);

        var initialCapacity = content.CanSeek ? (int)Math.Clamp(content.Length - content.Position, 0, Array.MaxLength) : 0;
        using var buffer = new MemoryStream(initialCapacity);
        await content.CopyToAsync(buffer, FileBackend.BufferSize, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        // When the size was known up front the buffer is exactly full: keep it rather than copy it.
        _files[name] = buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }

    /// <inheritdoc/>
    public Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _getCount);
        BackendFileName.Validate(name);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowInjected(_getFailures);
        if (!_files.TryGetValue(name, out var content))
            throw new BackendException(BackendErrorKind.NotFound, $"File '{name}' not found in {DisplayName}.");
        // Stored arrays are never changed in place, so the stream can read the stored array itself.
        return Task.FromResult<Stream>(new MemoryStream(content, writable: false));
    }

    /// <inheritdoc/>
    public Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _deleteCount);
        BackendFileName.ValidateAll(names);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowInjected(_deleteFailures);
        foreach (var name in names)
            _files.TryRemove(name, out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public override string ToString() => DisplayName;

    private static void Enqueue(ConcurrentQueue<Exception> queue, Exception exception, int times)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        for (var i = 0; i < times; i++)
            queue.Enqueue(exception);
    }

    private static void ThrowInjected(ConcurrentQueue<Exception> queue)
    {
        if (queue.TryDequeue(out var exception))
            throw exception;
    }
}
