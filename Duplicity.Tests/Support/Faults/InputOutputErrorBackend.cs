using System.Globalization;
using Duplicity.Backends;

namespace Duplicity.Tests.Support.Faults;

/// <summary>
/// EIO at the stream level (no FUSE or device-mapper here to make a disk fail for real): on a seeded share of
/// the calls, a put stops after a random number of bytes of its content, or a download breaks after a random
/// number of bytes, with the <see cref="BackendException"/> the file backend raises for EIO ("Input/output
/// error", classified transient). Nothing is stored by a failed put, as the file backend's atomic put.
/// </summary>
internal sealed class InputOutputErrorBackend(IBackend inner, int seed, double rate) : DelegatingBackend(inner)
{
    private const int Eio = 5;
    private readonly Random _random = new(seed);
    private readonly HashSet<string> _failedPuts = [];

    /// <summary>When false, calls go through untouched (to check what the faulty runs left).</summary>
    public bool Enabled { get; set; } = true;

    public override async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        // At most once per name, so duplicity's retries always store it: a volume upload that gives up hangs the
        // backup forever today (BackupSession's producer waits on full pipes nobody drains; see the fault report).
        bool failedBefore;
        lock (_failedPuts) failedBefore = _failedPuts.Contains(name);
        if (failedBefore || Draw() is not { } failAt)
        {
            await base.PutAsync(name, content, cancellationToken);
            return;
        }
        var buffer = new byte[8192];
        long read = 0;
        int n;
        lock (_failedPuts) _failedPuts.Add(name);
        while (read < failAt && (n = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, failAt - read)), cancellationToken)) > 0)
            read += n;
        throw Failure("write", name);
    }

    public override async Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var stream = await base.GetAsync(name, cancellationToken);
        return Draw() is { } failAt ? new FailingReadStream(stream, failAt, () => Failure("read", name)) : stream;
    }

    private long? Draw()
    {
        lock (_random)
        {
            if (!Enabled || _random.NextDouble() >= rate) return null;
            // Half right at the start, half anywhere in the first volume-sized stretch.
            return _random.Next(2) == 0 ? _random.Next(16) : _random.Next(100_000);
        }
    }

    private BackendException Failure(string action, string name)
    {
        FaultTally.CountLocal();
        var eio = new IOException("Input/output error", Eio);
        return new BackendException(BackendErrorKind.Transient,
            string.Create(CultureInfo.InvariantCulture, $"Could not {action} {name} in {DisplayName}: {eio.Message}"), eio);
    }
}
