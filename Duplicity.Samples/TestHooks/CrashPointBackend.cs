using Duplicity.Backends;

namespace Duplicity.Samples.TestHooks;

/// <summary>
/// TEST ONLY. Kills the process at its <see cref="CrashPoint"/>: before or after the n-th matching call, or
/// once that call moved a number of bytes. Sits right above the real backend (under the retries), so it
/// counts the calls that reach the storage.
/// </summary>
internal sealed class CrashPointBackend(IBackend inner, CrashPoint point) : DelegatingBackend(inner)
{
    private int _seen;

    public override async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        if (!IsTheCall("put", name))
        {
            await base.PutAsync(name, content, cancellationToken).ConfigureAwait(false);
            return;
        }
        Before();
        var counted = point.When == "bytes" ? new CrashAfterBytesStream(content, point.Bytes, ownsInner: false) : content;
        await base.PutAsync(name, counted, cancellationToken).ConfigureAwait(false);
        CrashPoint.KillThisProcess(); // after, or bytes beyond the content's length: the call is complete
    }

    public override async Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!IsTheCall("get", name))
            return await base.GetAsync(name, cancellationToken).ConfigureAwait(false);
        Before();
        var stream = await base.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (point.When == "after")
            CrashPoint.KillThisProcess();
        return new CrashAfterBytesStream(stream, point.Bytes, ownsInner: true);
    }

    public override async Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        if (point.Operation != "delete")
        {
            await base.DeleteAsync(names, cancellationToken).ConfigureAwait(false);
            return;
        }
        // One name at a time, so a crash can fall between two deletions of one batch.
        foreach (var name in names)
        {
            bool isTheCall = IsTheCall("delete", name);
            if (isTheCall)
                Before();
            await base.DeleteAsync([name], cancellationToken).ConfigureAwait(false);
            if (isTheCall)
                CrashPoint.KillThisProcess();
        }
    }

    private bool IsTheCall(string operation, string name) =>
        point.Matches(operation, name) && Interlocked.Increment(ref _seen) == point.Count;

    private void Before()
    {
        if (point.When == "before")
            CrashPoint.KillThisProcess();
    }
}
