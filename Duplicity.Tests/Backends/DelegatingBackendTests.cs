using Duplicity.Backends;

namespace Duplicity.Tests.Backends;

[Category("Unit")]
public class DelegatingBackendTests
{
    private sealed class CountingBackend(IBackend inner, bool ownsInner) : DelegatingBackend(inner, ownsInner)
    {
        public int Puts;

        public override Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
        {
            Puts++;
            return base.PutAsync(name, content, cancellationToken);
        }
    }

    private sealed class DisposeRecordingBackend : DelegatingBackend
    {
        public DisposeRecordingBackend() : base(new InMemoryBackend("inner")) { }
        public bool Disposed;

        public override ValueTask DisposeAsync()
        {
            Disposed = true;
            return base.DisposeAsync();
        }
    }

    [Test]
    public async Task ForwardsEveryCallToTheInnerBackend()
    {
        var inner = new InMemoryBackend("inner");
        await using var decorated = new CountingBackend(inner, ownsInner: true);

        await decorated.PutAsync("a", new MemoryStream([1, 2]));
        await using (var stream = await decorated.GetAsync("a"))
            Assert.That(stream.Length, Is.EqualTo(2));
        var listed = new List<BackendFileInfo>();
        await foreach (var file in decorated.ListAsync())
            listed.Add(file);
        await decorated.DeleteAsync(["a"]);

        Assert.That(decorated.Puts, Is.EqualTo(1));
        Assert.That(listed, Is.EqualTo(new[] { new BackendFileInfo("a", 2) }));
        Assert.That(inner.Snapshot(), Is.Empty);
        Assert.That((inner.PutCount, inner.GetCount, inner.ListCount, inner.DeleteCount), Is.EqualTo((1L, 1L, 1L, 1L)));
        Assert.That(decorated.DisplayName, Is.EqualTo("memory://inner"));
    }

    [Test]
    public async Task DisposesTheInnerBackendOnlyWhenItOwnsIt()
    {
        var owned = new DisposeRecordingBackend();
        await new CountingBackend(owned, ownsInner: true).DisposeAsync();
        var borrowed = new DisposeRecordingBackend();
        await new CountingBackend(borrowed, ownsInner: false).DisposeAsync();

        Assert.That(owned.Disposed, Is.True);
        Assert.That(borrowed.Disposed, Is.False);
    }
}
