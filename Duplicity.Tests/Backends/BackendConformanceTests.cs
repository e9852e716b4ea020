using Duplicity.Backends;

namespace Duplicity.Tests.Backends;

/// <summary>
/// The contract every <see cref="IBackend"/> must meet. A backend's test fixture derives from this class
/// and returns a backend over a fresh, empty location from <see cref="CreateBackendAsync"/>.
/// </summary>
public abstract class BackendConformanceTests
{
    private const int MiB = 1024 * 1024;

    /// <summary>The backend under test, created before each test.</summary>
    protected IBackend Backend { get; private set; } = null!;

    /// <summary>Creates a backend over a fresh, empty location.</summary>
    protected abstract Task<IBackend> CreateBackendAsync();

    /// <summary>Removes whatever the test left behind (called after the backend was disposed).</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    [SetUp]
    public async Task CreateBackendForTestAsync() => Backend = await CreateBackendAsync();

    [TearDown]
    public async Task DisposeBackendAfterTestAsync()
    {
        await Backend.DisposeAsync();
        await CleanupAsync();
    }

    [Test]
    public async Task NewBackendListsNothing()
    {
        Assert.That(await ListAsync(), Is.Empty);
    }

    [Test]
    public void DisplayNameIsNotEmpty()
    {
        Assert.That(Backend.DisplayName, Is.Not.Null.And.Not.Empty);
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(5 * MiB)]
    public async Task PutThenGetReturnsTheSameBytes(int size)
    {
        var data = RandomBytes(size, seed: size);
        await Backend.PutAsync("file.bin", new MemoryStream(data));

        Assert.That(await ReadAsync("file.bin"), Is.EqualTo(data));
        Assert.That(await ListAsync(), Is.EqualTo(new Dictionary<string, long> { ["file.bin"] = size }));
    }

    [Test]
    public async Task PutReadsANonSeekableStreamToItsEnd()
    {
        var data = RandomBytes(3 * MiB + 17, seed: 3);
        await Backend.PutAsync("stream.bin", new ScriptedSourceStream(data));

        Assert.That(await ReadAsync("stream.bin"), Is.EqualTo(data));
    }

    [Test]
    public async Task PutReadsFromTheCurrentPosition()
    {
        var data = RandomBytes(100, seed: 4);
        var source = new MemoryStream(data) { Position = 10 };
        await Backend.PutAsync("tail.bin", source);

        Assert.That(await ReadAsync("tail.bin"), Is.EqualTo(data[10..]));
    }

    [Test]
    public async Task PutOverwritesAnExistingFile()
    {
        await Backend.PutAsync("f", new MemoryStream(RandomBytes(1000, seed: 1)));
        var second = RandomBytes(10, seed: 2);
        await Backend.PutAsync("f", new MemoryStream(second));

        Assert.That(await ReadAsync("f"), Is.EqualTo(second));
        Assert.That(await ListAsync(), Is.EqualTo(new Dictionary<string, long> { ["f"] = 10 }));
    }

    [Test]
    public async Task ListReturnsEveryNameWithItsExactSize()
    {
        var expected = new Dictionary<string, long>
        {
            ["duplicity-full.20240101T000000Z.vol1.difftar.gz"] = MiB + 3,
            ["duplicity-full.20240101T000000Z.manifest"] = 1000,
            ["empty"] = 0,
            ["one"] = 1,
        };
        foreach (var (name, size) in expected)
            await Backend.PutAsync(name, new MemoryStream(RandomBytes((int)size, seed: name.Length)));

        Assert.That(await ListAsync(), Is.EquivalentTo(expected));
    }

    [Test]
    public void GetOfAMissingFileThrowsNotFound()
    {
        var error = Assert.ThrowsAsync<BackendException>(() => Backend.GetAsync("missing"));
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.NotFound));
        Assert.That(error.Code, Is.EqualTo(DuplicityErrorCode.BackendNotFound));
    }

    [Test]
    public async Task DeleteRemovesManyFilesAndIgnoresMissingOnes()
    {
        foreach (var name in new[] { "a", "b", "c", "d" })
            await Backend.PutAsync(name, new MemoryStream(RandomBytes(5, seed: 5)));

        await Backend.DeleteAsync(["a", "c", "never-existed"]);
        await Backend.DeleteAsync([]);

        Assert.That((await ListAsync()).Keys, Is.EquivalentTo(new[] { "b", "d" }));
        var error = Assert.ThrowsAsync<BackendException>(() => Backend.GetAsync("a"));
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.NotFound));
    }

    [TestCase("name with spaces.gpg")]
    [TestCase("ünïcødé-文件-Ω.difftar.gz")]
    [TestCase("emoji-\U0001F600")]
    [TestCase(".leading-dot")]
    [TestCase("semi;colon,comma'quote\"dq%20pct+plus&amp=eq?q#h")]
    public async Task UnusualNamesRoundTrip(string name)
    {
        var data = RandomBytes(300, seed: 6);
        await Backend.PutAsync(name, new MemoryStream(data));

        Assert.That(await ReadAsync(name), Is.EqualTo(data));
        Assert.That((await ListAsync()).Keys, Is.EquivalentTo(new[] { name }));
        await Backend.DeleteAsync([name]);
        Assert.That(await ListAsync(), Is.Empty);
    }

    [TestCase("")]
    [TestCase(".")]
    [TestCase("..")]
    [TestCase("dir/file")]
    [TestCase("/abs")]
    [TestCase("back\\slash")]
    public void InvalidNamesAreRefused(string name)
    {
        Assert.ThrowsAsync<ArgumentException>(() => Backend.PutAsync(name, new MemoryStream([1])));
        Assert.ThrowsAsync<ArgumentException>(() => Backend.GetAsync(name));
        Assert.ThrowsAsync<ArgumentException>(() => Backend.DeleteAsync(["ok", name]));
    }

    [Test]
    public async Task AFailingSourceLeavesNoNewFile()
    {
        var failure = new IOException("source broke");
        var source = new ScriptedSourceStream(RandomBytes(4 * MiB, seed: 7)) { TriggerAfter = MiB, Failure = failure };

        var thrown = Assert.CatchAsync(() => Backend.PutAsync("new.bin", source));
        Assert.That(Chain(thrown!), Does.Contain(failure), "the source's error must surface");
        Assert.That(await ListAsync(), Is.Empty);
        Assert.ThrowsAsync<BackendException>(() => Backend.GetAsync("new.bin"));
    }

    [Test]
    public async Task AFailingSourceLeavesThePreviousContentIntact()
    {
        var original = RandomBytes(2 * MiB, seed: 8);
        await Backend.PutAsync("kept.bin", new MemoryStream(original));
        var failure = new InvalidDataException("source broke");
        var source = new ScriptedSourceStream(RandomBytes(4 * MiB, seed: 9)) { TriggerAfter = MiB, Failure = failure };

        var thrown = Assert.CatchAsync(() => Backend.PutAsync("kept.bin", source));
        Assert.That(Chain(thrown!), Does.Contain(failure));
        Assert.That(await ReadAsync("kept.bin"), Is.EqualTo(original));
        Assert.That(await ListAsync(), Is.EqualTo(new Dictionary<string, long> { ["kept.bin"] = original.Length }));
    }

    [Test]
    public async Task AnUnfinishedPutIsNotVisible()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var data = RandomBytes(2 * MiB, seed: 10);
        var source = new ScriptedSourceStream(data) { TriggerAfter = MiB / 2, Gate = gate.Task };

        var put = Backend.PutAsync("pending.bin", source);
        await source.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            Assert.That(await ListAsync(), Is.Empty);
            var error = Assert.ThrowsAsync<BackendException>(() => Backend.GetAsync("pending.bin"));
            Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.NotFound));
        }
        finally
        {
            gate.SetResult();
            await put;
        }
        Assert.That(await ReadAsync("pending.bin"), Is.EqualTo(data));
    }

    [Test]
    public async Task ConcurrentPutsOfDifferentNamesAllLand()
    {
        var files = Enumerable.Range(0, 12).ToDictionary(i => $"vol{i}.difftar", i => RandomBytes(256 * 1024 + i, seed: 100 + i));

        await Task.WhenAll(files.Select(f => Task.Run(() => Backend.PutAsync(f.Key, new ScriptedSourceStream(f.Value)))));

        Assert.That(await ListAsync(), Is.EquivalentTo(files.ToDictionary(f => f.Key, f => (long)f.Value.Length)));
        foreach (var (name, data) in files)
            Assert.That(await ReadAsync(name), Is.EqualTo(data), name);
    }

    [Test]
    public async Task CancellingAPutThrowsAndLeavesNoFile()
    {
        using var cancellation = new CancellationTokenSource();
        var source = new ScriptedSourceStream(RandomBytes(8 * MiB, seed: 11)) { TriggerAfter = MiB, OnTrigger = cancellation.Cancel };

        Assert.CatchAsync<OperationCanceledException>(() => Backend.PutAsync("cancelled.bin", source, cancellation.Token));

        Assert.That(await ListAsync(), Is.Empty);
        Assert.ThrowsAsync<BackendException>(() => Backend.GetAsync("cancelled.bin"));
    }

    [Test]
    public async Task CancellingAnOverwriteKeepsThePreviousContent()
    {
        var original = RandomBytes(1000, seed: 12);
        await Backend.PutAsync("kept", new MemoryStream(original));
        using var cancellation = new CancellationTokenSource();
        var source = new ScriptedSourceStream(RandomBytes(4 * MiB, seed: 13)) { TriggerAfter = MiB, OnTrigger = cancellation.Cancel };

        Assert.CatchAsync<OperationCanceledException>(() => Backend.PutAsync("kept", source, cancellation.Token));

        Assert.That(await ReadAsync("kept"), Is.EqualTo(original));
    }

    [Test]
    public void AnAlreadyCancelledTokenIsHonoured()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.CatchAsync<OperationCanceledException>(() => Backend.PutAsync("x", new MemoryStream([1]), cancellation.Token));
        Assert.CatchAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Backend.ListAsync(cancellation.Token)) { }
        });
    }

    [Test]
    public async Task AFileCanBeReadTwiceAtTheSameTime()
    {
        var data = RandomBytes(MiB, seed: 14);
        await Backend.PutAsync("shared", new MemoryStream(data));

        var both = await Task.WhenAll(ReadAsync("shared"), ReadAsync("shared"));

        Assert.That(both[0], Is.EqualTo(data));
        Assert.That(both[1], Is.EqualTo(data));
    }

    /// <summary>Lists the backend as name → size, failing on duplicate names.</summary>
    protected async Task<Dictionary<string, long>> ListAsync()
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var file in Backend.ListAsync())
            result.Add(file.Name, file.Size);
        return result;
    }

    /// <summary>Reads a whole file through <see cref="IBackend.GetAsync"/>, in small uneven reads.</summary>
    protected async Task<byte[]> ReadAsync(string name)
    {
        await using var stream = await Backend.GetAsync(name);
        using var copy = new MemoryStream();
        var buffer = new byte[7919];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
            copy.Write(buffer, 0, read);
        return copy.ToArray();
    }

    protected static byte[] RandomBytes(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            yield return e;
    }
}
