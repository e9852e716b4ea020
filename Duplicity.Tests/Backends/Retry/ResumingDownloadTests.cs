using Duplicity.Backends;
using Duplicity.Backends.Retry;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Retry;

/// <summary>Downloads that break off in the middle are continued from the byte they reached, within the attempts.</summary>
[Category("Unit")]
public class ResumingDownloadTests
{
    private static readonly RetryOptions Exact = new() { JitterRatio = 0 };
    private static readonly byte[] Data = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7 + i / 251)).ToArray();

    private static InMemoryBackend Stored()
    {
        var memory = new InMemoryBackend();
        memory.SetContent("vol1", Data);
        return memory;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, int chunk = 4096)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, chunk);
        return copy.ToArray();
    }

    [Test]
    public async Task ADownloadThatBreaksTwiceContinuesFromWhereItStoppedWithNothingLostOrRepeated()
    {
        var breaking = new BreakingDownloadBackend(Stored(), 30_000, 25_001);
        var clock = new ManualTimeProvider();
        await using var backend = new RetryingBackend(breaking, Exact, clock);

        await using var stream = await backend.GetAsync("vol1");
        var read = await ReadAllAsync(stream, chunk: 4096);

        Assert.That(read, Is.EqualTo(Data));
        Assert.That(breaking.Offsets, Is.EqualTo(new long[] { 0, 30_000, 55_001 }));
        Assert.That(clock.RequestedDelays, Is.EqualTo(new[] { TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60) }));
    }

    [Test]
    public async Task SynchronousReadersAreResumedToo()
    {
        var breaking = new BreakingDownloadBackend(Stored(), 1234);
        await using var backend = new RetryingBackend(breaking, Exact, new ManualTimeProvider());

        await using var stream = await backend.GetAsync("vol1");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);

        Assert.That(copy.ToArray(), Is.EqualTo(Data));
    }

    [Test]
    public async Task ADownloadThatKeepsBreakingGivesUpWithCode50AfterNumRetriesAttempts()
    {
        var breaking = new BreakingDownloadBackend(Stored(), 10_000, 10_000, 10_000);
        await using var backend = new RetryingBackend(breaking, new RetryOptions { NumRetries = 3, JitterRatio = 0 }, new ManualTimeProvider());

        await using var stream = await backend.GetAsync("vol1");
        var error = Assert.ThrowsAsync<BackendException>(() => ReadAllAsync(stream));

        Assert.That(error!.Code, Is.EqualTo(DuplicityErrorCode.BackendGaveUp));
        Assert.That(error.Message, Does.StartWith("Giving up after 3 attempts. IOException: connection reset by peer"));
        Assert.That(breaking.Offsets, Is.EqualTo(new long[] { 0, 10_000, 20_000 }));
    }

    [Test]
    public async Task FailuresToOpenAndBreaksShareOneBudget()
    {
        var memory = Stored();
        memory.FailNextGetWith(new IOException("refused"), times: 2);
        var breaking = new BreakingDownloadBackend(memory, 10);
        await using var backend = new RetryingBackend(breaking, new RetryOptions { NumRetries = 3, JitterRatio = 0 }, new ManualTimeProvider());

        await using var stream = await backend.GetAsync("vol1");
        var error = Assert.ThrowsAsync<BackendException>(() => ReadAllAsync(stream));

        Assert.That(error!.Message, Does.StartWith("Giving up after 3 attempts."));
    }

    [Test]
    public async Task ADownloadThatEndsEarlyIsContinued()
    {
        await using var backend = new RetryingBackend(new ShortFirstAnswerBackend(Stored(), 5000), Exact, new ManualTimeProvider());

        await using var stream = await backend.GetAsync("vol1");

        Assert.That(await ReadAllAsync(stream), Is.EqualTo(Data));
    }

    [Test]
    public async Task AFileReplacedDuringTheDownloadFailsWithoutARetry()
    {
        var memory = Stored();
        var breaking = new BreakingDownloadBackend(memory, 50_000);
        var clock = new ManualTimeProvider();
        await using var backend = new RetryingBackend(breaking, Exact, clock);

        await using var stream = await backend.GetAsync("vol1");
        var head = new byte[40_000];
        await stream.ReadExactlyAsync(head);
        memory.SetContent("vol1", Data.AsSpan(0, 70_000));
        var error = Assert.ThrowsAsync<BackendException>(() => ReadAllAsync(stream));

        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
        Assert.That(error.Message, Does.Contain("changed"));
    }

    [Test]
    public async Task TheDefaultOffsetReadSkipsTheBytesOfABackendThatCannotSeek()
    {
        await using var backend = new NonSeekingBackend(Stored());

        await using var stream = await ((IBackend)backend).GetFromAsync("vol1", 77_777);

        Assert.That(await ReadAllAsync(stream), Is.EqualTo(Data[77_777..]));
    }

    [Test]
    public async Task AnOffsetPastTheEndGivesAnEmptyStream()
    {
        IBackend backend = Stored();

        await using var stream = await backend.GetFromAsync("vol1", Data.Length + 10);

        Assert.That(await ReadAllAsync(stream), Is.Empty);
    }

    /// <summary>Its first download ends cleanly after some bytes, as a proxy that closes early would.</summary>
    private sealed class ShortFirstAnswerBackend(IBackend inner, int firstLength) : DelegatingBackend(inner)
    {
        private bool _served;

        public override async Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default)
        {
            if (_served)
                return await Inner.GetAsync(name, cancellationToken);
            _served = true;
            await using var whole = await Inner.GetAsync(name, cancellationToken);
            var head = new byte[firstLength];
            await whole.ReadExactlyAsync(head, cancellationToken);
            return new AnnouncedLengthStream(new MemoryStream(head), whole.Length);
        }
    }

    private sealed class AnnouncedLengthStream(Stream inner, long announced) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => announced;
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class NonSeekingBackend(IBackend inner) : IBackend
    {
        public string DisplayName => inner.DisplayName;
        public IAsyncEnumerable<BackendFileInfo> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
        public Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default) => inner.PutAsync(name, content, cancellationToken);
        public async Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default) =>
            new ScriptedSourceStream(await ReadAllAsync(await inner.GetAsync(name, cancellationToken)));
        public Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default) => inner.DeleteAsync(names, cancellationToken);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
