using Duplicity.Backends;

namespace Duplicity.Tests.Backends;

[Category("Unit")]
public class InMemoryBackendTests
{
    [Test]
    public async Task InjectedPutFailuresHappenTheGivenNumberOfTimesAndStoreNothing()
    {
        var backend = new InMemoryBackend();
        var failure = new BackendException(BackendErrorKind.Transient, "network down");
        backend.FailNextPutWith(failure, times: 2);

        Assert.That(Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("v", new MemoryStream([1]))), Is.SameAs(failure));
        Assert.That(Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("v", new MemoryStream([1]))), Is.SameAs(failure));
        Assert.That(backend.Snapshot(), Is.Empty);

        await backend.PutAsync("v", new MemoryStream([1, 2]));
        Assert.That(backend.Snapshot()["v"], Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(backend.PutCount, Is.EqualTo(3));
    }

    [Test]
    public async Task InjectedGetListAndDeleteFailuresAreThrown()
    {
        var backend = new InMemoryBackend();
        backend.SetContent("f", [9]);
        backend.FailNextGetWith(new BackendException(BackendErrorKind.PermissionDenied, "no"));
        backend.FailNextListWith(new TimeoutException());
        backend.FailNextDeleteWith(new BackendException(BackendErrorKind.Permanent, "no"));

        Assert.That(Assert.ThrowsAsync<BackendException>(() => backend.GetAsync("f"))!.Code, Is.EqualTo(DuplicityErrorCode.BackendPermissionDenied));
        Assert.ThrowsAsync<TimeoutException>(async () => { await foreach (var _ in backend.ListAsync()) { } });
        Assert.ThrowsAsync<BackendException>(() => backend.DeleteAsync(["f"]));

        Assert.That(backend.Snapshot().Keys, Is.EqualTo(new[] { "f" }), "a failed delete deletes nothing");
        await using var stream = await backend.GetAsync("f");
        Assert.That(stream.ReadByte(), Is.EqualTo(9));
        Assert.That((backend.GetCount, backend.ListCount, backend.DeleteCount), Is.EqualTo((2L, 1L, 1L)));
    }

    [Test]
    public async Task SnapshotIsASortedCopy()
    {
        var backend = new InMemoryBackend();
        await backend.PutAsync("b", new MemoryStream([2]));
        await backend.PutAsync("a", new MemoryStream([1]));

        var snapshot = backend.Snapshot();
        snapshot["a"][0] = 99;
        backend.SetContent("c", [3]);

        Assert.That(snapshot.Keys, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(backend.Snapshot()["a"], Is.EqualTo(new byte[] { 1 }));
    }

    [Test]
    public async Task DisposingKeepsTheFiles()
    {
        var backend = new InMemoryBackend("shared");
        await backend.PutAsync("kept", new MemoryStream([1]));
        await backend.DisposeAsync();

        Assert.That(backend.Snapshot().Keys, Is.EqualTo(new[] { "kept" }));
        Assert.That(backend.DisplayName, Is.EqualTo("memory://shared"));
    }

    [Test]
    public async Task AGetStreamCannotChangeTheStoredFile()
    {
        var backend = new InMemoryBackend();
        backend.SetContent("f", [1, 2, 3]);

        await using var stream = await backend.GetAsync("f");

        Assert.That(stream.CanWrite, Is.False);
    }
}
