namespace Duplicity.Backends.Ftp;

/// <summary>
/// Runs one network step under the caller's token and an idle timeout. Either one firing closes the
/// sockets (the abort action), so a read or write stuck in the kernel or in TLS ends at once;
/// a timeout surfaces as <see cref="TimeoutException"/>, a cancellation as <see cref="OperationCanceledException"/>.
/// </summary>
internal static class TimeoutGuard
{
    public static async ValueTask<T> RunAsync<T>(Func<CancellationToken, ValueTask<T>> step, TimeSpan timeout, TimeProvider time,
        Action abort, string what, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        await using var registration = linked.Token.Register(abort).ConfigureAwait(false);
        try
        {
            return await step(linked.Token).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception e) when (timer.IsCancellationRequested)
        {
            throw new TimeoutException($"no progress in {timeout.TotalSeconds:0.#} s while {what}", e);
        }
    }

    public static async ValueTask RunAsync(Func<CancellationToken, ValueTask> step, TimeSpan timeout, TimeProvider time,
        Action abort, string what, CancellationToken cancellationToken) =>
        await RunAsync(async ct =>
        {
            await step(ct).ConfigureAwait(false);
            return true;
        }, timeout, time, abort, what, cancellationToken).ConfigureAwait(false);
}
