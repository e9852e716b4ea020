namespace Duplicity.Backends;

/// <summary>
/// Base of backend decorators (retries, logging, throttling, metrics): forwards every call to an inner
/// backend. Override only the operations the decorator changes.
/// </summary>
public abstract class DelegatingBackend : IBackend
{
    private readonly bool _ownsInner;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The backend calls are forwarded to.</param>
    /// <param name="ownsInner">Whether disposing this decorator disposes <paramref name="inner"/> too.</param>
    protected DelegatingBackend(IBackend inner, bool ownsInner = true)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _ownsInner = ownsInner;
    }

    /// <summary>The wrapped backend.</summary>
    protected IBackend Inner { get; }

    /// <inheritdoc/>
    public virtual string DisplayName => Inner.DisplayName;

    /// <inheritdoc/>
    public virtual IAsyncEnumerable<BackendFileInfo> ListAsync(CancellationToken cancellationToken = default) =>
        Inner.ListAsync(cancellationToken);

    /// <inheritdoc/>
    public virtual Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default) =>
        Inner.PutAsync(name, content, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default) =>
        Inner.GetAsync(name, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<Stream> GetFromAsync(string name, long offset, CancellationToken cancellationToken = default) =>
        Inner.GetFromAsync(name, offset, cancellationToken);

    /// <inheritdoc/>
    public virtual Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default) =>
        Inner.DeleteAsync(names, cancellationToken);

    /// <inheritdoc/>
    public virtual async ValueTask DisposeAsync()
    {
        if (_ownsInner)
            await Inner.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() => DisplayName;
}
