namespace Duplicity.IO;

/// <summary>
/// An encoding stream that holds input it has not written out yet (blocks being compressed on other
/// cores, packet buffers); volume cutting counts those bytes so volumes do not overshoot their size,
/// and near a volume's end asks for a sync to learn the stored size exactly, as duplicity measures its
/// compressed or encrypted output.
/// </summary>
internal interface IPendingInput
{
    /// <summary>Input bytes taken in but not yet written out encoded (an upper bound of what they add).</summary>
    long PendingInputBytes { get; }

    /// <summary>
    /// Encodes everything taken in so far (compressed blocks end with a sync flush) and writes it out, so that
    /// afterwards <see cref="PendingInputBytes"/> counts only small packet buffers.
    /// </summary>
    ValueTask SyncAsync(CancellationToken cancellationToken);
}
