using Duplicity.Selection;

namespace Duplicity.Sessions;

/// <summary>Settings of a verify: compare a backup at a time with a local folder.</summary>
public sealed class VerifyOptions
{
    /// <summary>The local folder (or, with <see cref="Path"/>, the local object) to compare with.</summary>
    public required string LocalPath { get; init; }

    /// <summary>Compare only this path of the backup (<c>--file-to-restore</c>); null compares everything.</summary>
    public string? Path { get; init; }

    /// <summary>The backup time to verify (<c>--time</c>); null means now.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>Compare types, permissions, owners, mtimes and contents (<c>--compare-data</c>).
    /// Without it, as in duplicity 0.8.22, verify only proves the archive is complete and readable.</summary>
    public bool CompareData { get; init; }

    /// <summary>Which local files take part (the backup's include/exclude rules); null means all.</summary>
    public FileSelection? Selection { get; init; }

    /// <summary>
    /// <c>--rename FROM TO</c> pairs, as <see cref="RestoreOptions.Renames"/>: an object of the backup at FROM (a path
    /// relative to what is verified), or under it, is compared with the local object at TO instead. The longest
    /// matching FROM wins. The local folder is thus compared with what a restore with the same renames would
    /// write; differences name the local paths, and local folders that only hold a TO (made by such a restore)
    /// are not differences. Null or empty renames nothing.
    /// </summary>
    /// <remarks>
    /// duplicity 0.8.22 documents <c>--rename</c> for every action but its verify does not apply it: it ignores
    /// the renames, or stops with an internal error when a local FROM exists.
    /// </remarks>
    public IReadOnlyDictionary<string, string>? Renames { get; init; }

    /// <summary>
    /// duplicity's <c>--ignore-errors</c>: a volume whose hash does not match the manifest is left out with a
    /// warning (instead of failing with code 21) and the verify goes on with the next volume, as duplicity's
    /// does. With <see cref="CompareData"/>, what was in it then shows as differences (files missing from the
    /// backup are new, files with part of their data in it differ); without, nothing is compared to see it.
    /// </summary>
    public bool IgnoreErrors { get; init; }

    /// <summary>Checks the options before anything is read.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(LocalPath)) throw new ArgumentException("A local path to compare with is required.", nameof(LocalPath));
        Restore.PathRenames.Validate(Renames);
    }
}
