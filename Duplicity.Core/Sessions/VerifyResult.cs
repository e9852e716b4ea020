namespace Duplicity.Sessions;

/// <summary>What a verify found.</summary>
public sealed record VerifyResult
{
    /// <summary>Objects compared (the union of both sides).</summary>
    public required long FilesCompared { get; init; }

    /// <summary>One duplicity-style description per difference (e.g. <c>File a.txt is missing</c>).</summary>
    public required IReadOnlyList<string> Differences { get; init; }

    /// <summary>duplicity's summary line, e.g. <c>Verify complete: 9 files compared, 0 differences found.</c></summary>
    public string Summary =>
        $"Verify complete: {FilesCompared} {(FilesCompared == 1 ? "file" : "files")} compared, {Differences.Count} {(Differences.Count == 1 ? "difference" : "differences")} found.";
}
