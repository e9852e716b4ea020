namespace Duplicity.IO;

/// <summary>
/// An encoding stream that holds input it has not written out yet (blocks being compressed on other
/// cores); volume cutting counts those bytes so volumes do not overshoot their size.
/// </summary>
internal interface IPendingInput
{
    /// <summary>Input bytes taken in but not yet written out encoded.</summary>
    long PendingInputBytes { get; }
}
