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

}
