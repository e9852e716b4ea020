using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Duplicity.Backends;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions.Resuming;

/// <summary>
/// Several volumes uploading at once (<see cref="BackupOptions.MaxUploadsInFlight"/>): the manifest and the
/// events keep volume order whatever order the uploads finish in, the bound holds, and a failed upload stops
/// the set at the last volume stored with all before it, from which the next run resumes.
/// </summary>
[Category("Unit")]
public partial class ConcurrentUploadTests
{
    private const long T0 = ResumeFixture.T0;

    [Test]
    public async Task VolumesFinishingOutOfOrderAreRecordedInOrder()
    {
        using var f = new ResumeFixture();
        var backend = new HoldFirstVolumeBackend(f.Backend, releaseAfter: 3);
        var stored = new List<int>();
        var options = new BackupOptions { Source = f.Source, VolumeSize = ResumeFixture.VolumeSize, Hostname = "host", MaxUploadsInFlight = 4 };

        var result = await Support.Sessions.BackupAsync(backend, f.Repository(T0), options,
            progress: new SynchronousProgress<BackupEvent>(e => { if (e is BackupVolumeStored v) stored.Add(v.Number); }));

        Assert.That(result.VolumeCount, Is.GreaterThan(6), "enough volumes for several to be in flight");
        Assert.That(backend.CompletionOrder.IndexOf(1), Is.GreaterThanOrEqualTo(3), "volume 1 finished after later ones");
        Assert.That(backend.MaxConcurrent, Is.EqualTo(4), "four uploads ran at once, never more");
        Assert.That(stored, Is.EqualTo(Enumerable.Range(1, result.VolumeCount)), "stored in volume order");
        var manifest = f.Stored(".manifest").Single().Value;
        Assert.That(ManifestVolumeNumbers(manifest), Is.EqualTo(Enumerable.Range(1, result.VolumeCount)));
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task OneUploadInFlightIsTheDefaultAndTheBoundHolds()
    {
        using var f = new ResumeFixture();
        var backend = new HoldFirstVolumeBackend(f.Backend, releaseAfter: 0);

        var result = await f.BackupAsync(T0, backend);

        Assert.That(backend.MaxConcurrent, Is.EqualTo(1));
        Assert.That(backend.CompletionOrder, Is.EqualTo(Enumerable.Range(1, result.VolumeCount)));
    }

    [Test]
    public async Task AFailedUploadAmongSeveralStopsTheSetWhereTheNextRunResumes()
    {
        using var f = new ResumeFixture();
        // Volumes 1 and 2 are still uploading when volume 3 fails: they must finish, not be cancelled.
        var slowStart = new SlowVolumesBackend(f.Backend, TimeSpan.FromMilliseconds(300), ".vol1.", ".vol2.");
        var faulty = new PutFaultBackend(slowStart, name => name.Contains(".vol3.", StringComparison.Ordinal));
        var options = new BackupOptions { Source = f.Source, VolumeSize = ResumeFixture.VolumeSize, Hostname = "host", MaxUploadsInFlight = 4 };

        var failure = Assert.ThrowsAsync<IOException>(() => Support.Sessions.BackupAsync(faulty, f.Repository(T0), options));
        Assert.That(failure!.Message, Does.Contain("vol3"), "the upload's own failure, not the cancellation it caused");
        Assert.That(f.ArchiveDirPartials().Count(p => p.EndsWith(".manifest.part", StringComparison.Ordinal)), Is.EqualTo(1));

        var next = await Support.Sessions.BackupAsync(f.Backend, f.Repository(T0 + 60), options);

        Assert.That(next.ResumedAfterVolume, Is.EqualTo(2), "volumes 1 and 2 were stored with all before them");
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task LaterVolumesStoredBeforeAnEarlierOneFailedDoNotStopTheResume()
    {
        using var f = new ResumeFixture();
        // Volume 3 fails only once volumes 4 and 5 are stored: the backend then holds volumes 1, 2, 4
        // and 5, four volumes, while the partial manifest lists two. Uploads in flight allow this
        // order whenever the failing upload is slower to fail than the next ones are to succeed.
        var faulty = new FailAfterLaterVolumesBackend(f.Backend, failing: 3, storedFirst: [4, 5]);
        var options = new BackupOptions { Source = f.Source, VolumeSize = ResumeFixture.VolumeSize, Hostname = "host", MaxUploadsInFlight = 4 };

        Assert.ThrowsAsync<IOException>(() => Support.Sessions.BackupAsync(faulty, f.Repository(T0), options));
        Assert.That(f.Stored(".difftar.").Keys.Select(VolumeNumberOf), Is.SupersetOf(new[] { 1, 2, 4, 5 }).And.No.Member(3));

        var next = await Support.Sessions.BackupAsync(f.Backend, f.Repository(T0 + 60), options);

        Assert.That(next.ResumedAfterVolume, Is.EqualTo(2), "volumes 1 and 2 are the ones stored with all before them");
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public async Task VolumesStoredPastTheGapAreNotLeftBesideTheResumedSet()
    {
        using var f = new ResumeFixture();
        // Volumes 4 to 7 are as far as the uploads in flight get while volume 3 is pending.
        var faulty = new FailAfterLaterVolumesBackend(f.Backend, failing: 3, storedFirst: [4, 5, 6, 7]);
        var options = new BackupOptions { Source = f.Source, VolumeSize = ResumeFixture.VolumeSize, Hostname = "host", MaxUploadsInFlight = 4 };
        Assert.ThrowsAsync<IOException>(() => Support.Sessions.BackupAsync(faulty, f.Repository(T0), options));
        Assert.That(f.Stored(".difftar.").Keys.Select(VolumeNumberOf), Has.Member(7));
        // Past the resume position (inside file00) the source may change: all but file00 and small.txt go.
        for (int i = 1; i <= 5; i++) File.Delete(Path.Combine(f.Source, $"file{i:D2}.bin"));

        var next = await Support.Sessions.BackupAsync(f.Backend, f.Repository(T0 + 60), options);

        Assert.That(next.ResumedAfterVolume, Is.EqualTo(2));
        Assert.That(next.VolumeCount, Is.LessThan(7), "the resumed set ends before the volumes stored past the gap");
        Assert.That(f.Stored(".difftar.").Keys.Select(VolumeNumberOf).Order(), Is.EqualTo(Enumerable.Range(1, next.VolumeCount)),
            "no volume the set's manifest does not list");
        Assert.That(await f.RestoreAsync("r"), Is.EqualTo(f.DescribeSource()));
    }

    [Test]
    public void TheBoundIsChecked()
    {
        var options = new BackupOptions { Source = "/x", MaxUploadsInFlight = 0 };
        Assert.Throws<ArgumentException>(options.Validate);
    }

    private static int[] ManifestVolumeNumbers(byte[] manifest) =>
        VolumeLine().Matches(System.Text.Encoding.UTF8.GetString(manifest)).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    [GeneratedRegex(@"^Volume (\d+):", RegexOptions.Multiline)]
    private static partial Regex VolumeLine();

    /// <summary>Delays the upload of the volumes whose names contain one of <c>markers</c>.</summary>
    private sealed class SlowVolumesBackend(IBackend inner, TimeSpan delay, params string[] markers) : DelegatingBackend(inner)
    {
        public override async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
        {
            if (markers.Any(m => name.Contains(m, StringComparison.Ordinal)))
                await Task.Delay(delay, cancellationToken);
            await base.PutAsync(name, content, cancellationToken);
        }
    }

    private static int VolumeNumberOf(string name) =>
        int.Parse(VolumeNumber().Match(name).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\.vol(\d+)\.")]
    private static partial Regex VolumeNumber();

    /// <summary>Fails the upload of volume <c>failing</c>, but only once the volumes <c>storedFirst</c> are stored.</summary>
    private sealed class FailAfterLaterVolumesBackend(IBackend inner, int failing, int[] storedFirst) : DelegatingBackend(inner)
    {
        private readonly ConcurrentDictionary<int, bool> _stored = new();
        private readonly TaskCompletionSource _laterStored = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
        {
            var match = VolumeNumber().Match(name);
            int number = match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            if (number == failing)
            {
                await _laterStored.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                throw new IOException($"injected fault: the store of {name} was interrupted");
            }
            await base.PutAsync(name, content, cancellationToken);
            if (number == 0) return;
            _stored[number] = true;
            if (storedFirst.All(_stored.ContainsKey)) _laterStored.TrySetResult();
        }
    }

    /// <summary>Reports on the caller's thread, so the order seen is the order reported.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>
    /// Holds volume 1's upload until <c>releaseAfter</c> other volumes have completed, and records how many
    /// volume uploads ran at once and the order they completed in.
    /// </summary>
    private sealed partial class HoldFirstVolumeBackend(IBackend inner, int releaseAfter) : DelegatingBackend(inner)
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<int> _completed = new();
        private int _running;
        private int _maxConcurrent;

        public int MaxConcurrent => _maxConcurrent;

        public List<int> CompletionOrder => [.. _completed];

        public override async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
        {
            var match = VolumeNumber().Match(name);
            if (!match.Success)
            {
                await base.PutAsync(name, content, cancellationToken);
                return;
            }
            int number = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            int running = Interlocked.Increment(ref _running);
            InterlockedMax(ref _maxConcurrent, running);
            try
            {
                if (number == 1 && releaseAfter > 0)
                    await _release.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                else
                    await Task.Delay(20, cancellationToken);   // long enough for the others to start
                await base.PutAsync(name, content, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
            _completed.Enqueue(number);
            if (number != 1 && _completed.Count >= releaseAfter) _release.TrySetResult();
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }

        [GeneratedRegex(@"\.vol(\d+)\.")]
        private static partial Regex VolumeNumber();
    }
}
