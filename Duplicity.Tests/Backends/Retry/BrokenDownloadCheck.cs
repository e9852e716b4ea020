using Duplicity.Backends;
using Duplicity.Backends.Retry;
using Duplicity.Diagnostics;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Retry;

/// <summary>
/// The one scenario every real backend must pass: a file stored through a <see cref="DownloadCuttingRelay"/>
/// is downloaded through a <see cref="RetryingBackend"/> while the relay resets the connection mid-body; the
/// bytes must come back identical after exactly one retry, which continued from the byte reached. With
/// <c>corrupt</c> the relay flips a bit instead of resetting, and the transport must notice and fail.
/// </summary>
internal static class BrokenDownloadCheck
{
    public static async Task RunAsync(IBackend backendBehindRelay, DownloadCuttingRelay relay, int size = 3 * 1024 * 1024, long cutAfter = 1024 * 1024, bool corrupt = false)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data);
        await backendBehindRelay.PutAsync("duplicity-full.20260101T000000Z.vol1.difftar.gz", new MemoryStream(data));
        var log = new RecordingLoggerFactory();
        await using var retrying = new RetryingBackend(backendBehindRelay,
            new RetryOptions { NumRetries = 3, BackendRetryDelay = TimeSpan.Zero, JitterRatio = 0 }, loggerFactory: log, ownsInner: false);

        if (corrupt)
            relay.CorruptAfter(cutAfter);
        else
            relay.CutAfter(cutAfter);
        await using var stream = await retrying.GetAsync("duplicity-full.20260101T000000Z.vol1.difftar.gz");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);

        Assert.That(relay.Cuts, Is.EqualTo(1), "the relay cut the download");
        Assert.That(copy.ToArray(), Is.EqualTo(data), "nothing lost, nothing repeated");
        Assert.That(log.EventIds.Count(id => id == DuplicityEventIds.BackendAttemptFailed), Is.EqualTo(1), "one retry");
        Assert.That(log.Warnings.Single(), Does.Match(@"get '[^']+' from byte [1-9]\d*"), "continued from where it broke, not from the start");
    }
}
