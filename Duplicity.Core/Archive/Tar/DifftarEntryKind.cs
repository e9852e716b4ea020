namespace Duplicity.Archive.Tar;

/// <summary>The first component of a volume or signature-archive entry name.</summary>
internal enum DifftarEntryKind
{
    /// <summary><c>snapshot/</c>: a complete copy (or, in signature archives, a non-regular object).</summary>
    Snapshot,
    /// <summary><c>diff/</c>: a librsync delta against the previous signature.</summary>
    Diff,
    /// <summary><c>deleted/</c>: the object no longer exists.</summary>
    Deleted,
    /// <summary><c>multivol_snapshot/&lt;path&gt;/&lt;n&gt;</c>: chunk n of a snapshot.</summary>
    MultivolSnapshot,
    /// <summary><c>multivol_diff/&lt;path&gt;/&lt;n&gt;</c>: chunk n of a delta.</summary>
    MultivolDiff,
    /// <summary><c>signature/</c>: a librsync signature (signature archives only).</summary>
    Signature,
}
