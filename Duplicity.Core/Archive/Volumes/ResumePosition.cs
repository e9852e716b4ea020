using Duplicity.Files;

namespace Duplicity.Archive.Volumes;

/// <summary>
/// Where a resumed backup set continues: after the entry that ended the last volume kept on the
/// backend. <paramref name="LastBlock"/> is that volume's end block (0 when the entry was a whole file
/// or a file's last chunk), as the partial manifest records it.
/// </summary>
internal sealed record ResumePosition(int VolumesKept, IndexPath LastIndex, int LastBlock);

/// <summary>What a resumed set's entry stream met while it was skipped up to the resume position.</summary>
internal enum ResumeSkipOutcome
{
    /// <summary>The entry that ended the last kept volume was found: the stream continues right after it.</summary>
    Found,

    /// <summary>That entry is gone from the source: the stream continues with the next path after it.</summary>
    PassedMissingEntry,

    /// <summary>The source ended before the position: the new volumes are empty.</summary>
    SourceEnded,
}

/// <summary>
/// Drops the entries a resumed set has already stored, the way duplicity positions its tar stream on a
/// restart: the stream is produced again from the start (signatures need every file) and entries up
/// to and including the last kept volume's end entry are not written again.
/// </summary>
internal sealed class ResumeSkip(ResumePosition position)
{
    /// <summary>True while entries are still being dropped.</summary>
    public bool Skipping { get; private set; } = true;

    /// <summary>How skipping ended (meaningful once <see cref="Skipping"/> is false or the stream ended).</summary>
    public ResumeSkipOutcome Outcome { get; private set; } = ResumeSkipOutcome.SourceEnded;

    /// <summary>
    /// Whether the entry at <paramref name="index"/> (chunk <paramref name="block"/>, null for a whole
    /// file or a file's last chunk) is dropped.
    /// </summary>
    public bool Drops(IndexPath index, int? block)
    {
        if (!Skipping) return false;
        if (index > position.LastIndex)
        {
            // The recorded entry is gone (deleted or now shorter): this one was never stored.
            Skipping = false;
            Outcome = ResumeSkipOutcome.PassedMissingEntry;
            return false;
        }
        if (index == position.LastIndex && Ends(block))
        {
            Skipping = false;
            Outcome = ResumeSkipOutcome.Found;
        }
        return true;
    }

    // A chunk number counts from 1; the recorded block says which chunk closed the kept volume.
    private bool Ends(int? block) => position.LastBlock == 0 ? block is null : block is { } b && b >= position.LastBlock;
}
