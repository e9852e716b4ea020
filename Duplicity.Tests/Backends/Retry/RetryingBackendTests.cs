using System.Net.Sockets;
using Duplicity.Backends;
using Duplicity.Backends.Retry;
using Duplicity.Diagnostics;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Retry;

[Category("Unit")]
[TestFixture]
public class RetryingBackendTests
{
    private static readonly RetryOptions Exact = new() { JitterRatio = 0 };

    private static BackendException Transient(string message = "connection reset") => new(BackendErrorKind.Transient, message);

    [Test]
    public async Task APutThatFailsTwiceIsRetriedAndRewound()
    {
        var inner = new InMemoryBackend();
        inner.FailNextPutWith(Transient(), times: 2);
        var clock = new ManualTimeProvider();
        await using var backend = new RetryingBackend(inner, Exact, clock, ownsInner: false);
        var data = new byte[] { 1, 2, 3, 4, 5 };

        await backend.PutAsync("f", new MemoryStream(data) { Position = 1 });

        Assert.That(inner.PutCount, Is.EqualTo(3));
        Assert.That(inner.Snapshot()["f"], Is.EqualTo(data[1..]));
        // 30 s, then doubled: 60 s.
        Assert.That(clock.RequestedDelays, Is.EqualTo(new[] { TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60) }));
    }

    [Test]
    public async Task APutThatReadPartOfTheStreamIsRewoundBeforeTheRetry()
    {
        var flaky = new PartialReadBackend(new InMemoryBackend());
        await using var backend = new RetryingBackend(flaky, Exact, new ManualTimeProvider());
        var data = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();

        await backend.PutAsync("f", new MemoryStream(data));

        Assert.That(flaky.Stored, Is.EqualTo(data));
    }

    [Test]
    public void AfterTheLastAttemptItGivesUpWithDuplicitysTextAndCode50()
    {
        var inner = new InMemoryBackend();
        inner.FailNextGetWith(new BackendException(BackendErrorKind.Transient, "read from sftp://bob:hunter2@host/dir failed"), times: 5);
        var backend = new RetryingBackend(inner, Exact, new ManualTimeProvider());

        var error = Assert.ThrowsAsync<BackendException>(() => backend.GetAsync("f"));

        Assert.That(inner.GetCount, Is.EqualTo(5));
        Assert.That(error!.Code, Is.EqualTo(DuplicityErrorCode.BackendGaveUp));
        Assert.That(error.Message, Does.StartWith("Giving up after 5 attempts. BackendException: read from sftp://bob:***@host/dir failed"));
        Assert.That(error.Message, Does.Not.Contain("hunter2"));
        Assert.That(error.Kind, Is.EqualTo(BackendErrorKind.Transient));
    }

    [TestCase(BackendErrorKind.NotFound)]
    [TestCase(BackendErrorKind.PermissionDenied)]
    [TestCase(BackendErrorKind.Permanent)]
    [TestCase(BackendErrorKind.NoSpace)]
    public void FailuresThatCannotPassAreNotRetried(BackendErrorKind kind)
    {
        var inner = new InMemoryBackend();
        var failure = new BackendException(kind, "no");
        inner.FailNextDeleteWith(failure, times: 5);
        var clock = new ManualTimeProvider();
        var backend = new RetryingBackend(inner, Exact, clock);

        var error = Assert.ThrowsAsync<BackendException>(() => backend.DeleteAsync(["a"]));

        Assert.That(error, Is.SameAs(failure));
        Assert.That(inner.DeleteCount, Is.EqualTo(1));
        Assert.That(clock.RequestedDelays, Is.Empty);
    }

    [Test]
    public async Task IOAndSocketErrorsAreRetried()
    {
        var inner = new InMemoryBackend();
        inner.SetContent("x", [9]);
        inner.FailNextListWith(new IOException("broken pipe"));
        inner.FailNextListWith(new SocketException((int)SocketError.ConnectionReset));
        await using var backend = new RetryingBackend(inner, Exact, new ManualTimeProvider());

        var names = new List<string>();
        await foreach (var file in backend.ListAsync())
            names.Add(file.Name);

        Assert.That(names, Is.EqualTo(new[] { "x" }));
        Assert.That(inner.ListCount, Is.EqualTo(3));
    }

    [Test]
    public void OtherExceptionsAreNotRetried()
    {
        var inner = new InMemoryBackend();
        inner.FailNextGetWith(new InvalidOperationException("bug"), times: 3);
        var backend = new RetryingBackend(inner, Exact, new ManualTimeProvider());

        Assert.ThrowsAsync<InvalidOperationException>(() => backend.GetAsync("f"));
        Assert.That(inner.GetCount, Is.EqualTo(1));
    }

    [Test]
    public async Task ANonSeekablePutIsSpooledAndRetriedFromItsStart()
    {
        using var temp = new TempFolder();
        var flaky = new PartialReadBackend(new InMemoryBackend());
        var data = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var backend = new RetryingBackend(flaky, new RetryOptions { JitterRatio = 0, TempDirectory = temp.Path }, new ManualTimeProvider());

        await backend.PutAsync("f", new ScriptedSourceStream(data));

        Assert.That(flaky.Stored, Is.EqualTo(data));
        Assert.That(Directory.EnumerateFiles(temp.Path, "*", SearchOption.AllDirectories), Is.Empty, "the spool file is deleted after the upload");
        await backend.DisposeAsync();
        Assert.That(Directory.EnumerateFileSystemEntries(temp.Path), Is.Empty, "the spool folder is removed with the backend");
    }

    [Test]
    public void DelaysGrowExponentiallyUpToTheMaximum()
    {
        var options = new RetryOptions { NumRetries = 6, BackendRetryDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(50), JitterRatio = 0 };
        var inner = new InMemoryBackend();
        inner.FailNextGetWith(Transient(), times: 6);
        var clock = new ManualTimeProvider();
        var backend = new RetryingBackend(inner, options, clock);

        Assert.ThrowsAsync<BackendException>(() => backend.GetAsync("f"));

        Assert.That(clock.RequestedDelays.Select(d => d.TotalSeconds), Is.EqualTo(new double[] { 10, 20, 40, 50, 50 }));
    }

    [Test]
    public void WithoutBackoffEveryDelayIsTheRetryDelay()
    {
        var options = new RetryOptions { NumRetries = 3, ExponentialBackoff = false, JitterRatio = 0 };
        var inner = new InMemoryBackend();
        inner.FailNextGetWith(Transient(), times: 3);
        var clock = new ManualTimeProvider();
        var backend = new RetryingBackend(inner, options, clock);

        Assert.ThrowsAsync<BackendException>(() => backend.GetAsync("f"));

        Assert.That(clock.RequestedDelays, Is.EqualTo(new[] { TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30) }));
    }

    [Test]
    public void JitterShortensDelaysWithinTheRatio()
    {
        var options = new RetryOptions { NumRetries = 20, ExponentialBackoff = false, JitterRatio = 0.5 };
        var inner = new InMemoryBackend();
        inner.FailNextGetWith(Transient(), times: 20);
        var clock = new ManualTimeProvider();
        var backend = new RetryingBackend(inner, options, clock);

        Assert.ThrowsAsync<BackendException>(() => backend.GetAsync("f"));

        Assert.That(clock.RequestedDelays, Has.Count.EqualTo(19));
        Assert.That(clock.RequestedDelays, Has.All.InRange(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)));
        Assert.That(clock.RequestedDelays.Distinct().Count(), Is.GreaterThan(1), "jitter must vary");
    }

    [Test]
    public async Task CancellationDuringADelayStopsAtOnce()
    {
        var inner = new InMemoryBackend();
        inner.FailNextGetWith(Transient(), times: 5);
        var clock = new ManualTimeProvider { FireAtOnce = false };
        var backend = new RetryingBackend(inner, Exact, clock);
        using var cancellation = new CancellationTokenSource();

        var get = backend.GetAsync("f", cancellation.Token);
        while (clock.RequestedDelays.Count == 0)
            await Task.Delay(1);
        Assert.That(get.IsCompleted, Is.False, "waiting for the retry");
        cancellation.Cancel();

        Assert.CatchAsync<OperationCanceledException>(() => get);
        Assert.That(inner.GetCount, Is.EqualTo(1));
    }

    [Test]
    public async Task AdvancingTheClockRunsTheRetry()
    {
        var inner = new InMemoryBackend();
        inner.SetContent("f", [7]);
        inner.FailNextGetWith(Transient());
        var clock = new ManualTimeProvider { FireAtOnce = false };
        await using var backend = new RetryingBackend(inner, Exact, clock);

        var get = backend.GetAsync("f");
        while (clock.RequestedDelays.Count == 0)
            await Task.Delay(1);
        clock.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(20);
        Assert.That(get.IsCompleted, Is.False);
        clock.Advance(TimeSpan.FromSeconds(1));

        await using var stream = await get.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(stream.ReadByte(), Is.EqualTo(7));
    }

    [Test]
    public void LogLinesRedactPasswords()
    {
        var inner = new InMemoryBackend();
        inner.FailNextGetWith(new IOException("cannot reach sftp://u:secret@h/p"), times: 2);
        var logs = new RecordingLoggerFactory();
        var backend = new RetryingBackend(inner, new RetryOptions { NumRetries = 2, JitterRatio = 0 }, new ManualTimeProvider(), logs);

        Assert.ThrowsAsync<BackendException>(() => backend.GetAsync("f"));

        Assert.That(logs.All, Has.Count.EqualTo(2));
        Assert.That(logs.All, Has.All.Contain("sftp://u:***@h/p").And.All.Not.Contain("secret"));
    }

    [Test]
    public async Task EachRetryIsAWarningWithAttemptDelayAndError()
    {
        var inner = new InMemoryBackend();
        await inner.PutAsync("f", new MemoryStream([1]));
        inner.FailNextGetWith(new BackendException(BackendErrorKind.Transient, "server busy"), times: 2);
        var logs = new RecordingLoggerFactory();
        var backend = new RetryingBackend(inner, new RetryOptions { NumRetries = 3, JitterRatio = 0, BackendRetryDelay = TimeSpan.FromSeconds(2) },
            new ManualTimeProvider(), logs);

        await using var stream = await backend.GetAsync("f");

        Assert.That(logs.EventIds, Is.EqualTo(new[] { DuplicityEventIds.BackendAttemptFailed, DuplicityEventIds.BackendAttemptFailed }));
        Assert.That(logs.Warnings, Has.Count.EqualTo(2));
        Assert.That(logs.States.Select(s => s["Attempt"]), Is.EqualTo(new object[] { 1, 2 }));
        Assert.That(logs.States.Select(s => s["Delay"]), Is.EqualTo(new object[] { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) }));
        // Only transient failures are retried, so the kind is implied; the error names the exception's type.
        Assert.That(logs.States.Select(s => s["Error"]), Is.All.EqualTo("BackendException: server busy"));
    }

    [Test]
    public void BadOptionsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryingBackend(new InMemoryBackend(), new RetryOptions { NumRetries = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryingBackend(new InMemoryBackend(), new RetryOptions { JitterRatio = 2 }));
    }

    /// <summary>Reads part of the stream, then fails once; stores what a later attempt reads.</summary>
    private sealed class PartialReadBackend(IBackend inner) : DelegatingBackend(inner)
    {
        private bool _failed;

        public byte[]? Stored { get; private set; }

        public override async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
        {
            if (!_failed)
            {
                _failed = true;
                await content.ReadExactlyAsync(new byte[40], cancellationToken);
                throw new IOException("dropped mid-upload");
            }
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy, cancellationToken);
            Stored = copy.ToArray();
        }
    }
}
