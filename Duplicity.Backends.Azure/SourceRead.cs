using System.Runtime.ExceptionServices;

namespace Duplicity.Backends.Azure;

/// <summary>
/// Reads upload blocks from the caller's stream and keeps the stream's own failures apart from Azure's:
/// an <see cref="IOException"/> of the source is the caller's error, not a transient network failure.
/// </summary>
internal static class SourceRead
{
    /// <summary>Fills <paramref name="buffer"/> unless the stream ends first; returns the bytes read.</summary>
    public static async ValueTask<int> ChunkAsync(Stream source, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw new Failure(e);
        }
    }

    /// <summary>Rethrows the source's original exception, with its stack trace.</summary>
    public static void Rethrow(Failure failure) => ExceptionDispatchInfo.Capture(failure.InnerException!).Throw();

    /// <summary>Carries a source stream's exception through the upload code.</summary>
    internal sealed class Failure(Exception inner) : Exception("The upload source failed.", inner);
}
