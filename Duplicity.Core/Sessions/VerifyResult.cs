namespace Duplicity.Sessions;

/// <summary>What a verify found.</summary>
public sealed record VerifyResult
{
    /// <summary>Objects compared (the union of both sides).</summary>
    public required long FilesCompared { get; init; }

    /// <summary>The differences, in path order (empty unless <see cref="VerifyOptions.CompareData"/> was set).</summary>
    public required IReadOnlyList<VerifyDifference> Differences { get; init; }

    /// <summary>Volumes left out because their hash did not match the manifest (only with <see cref="VerifyOptions.IgnoreErrors"/>), in reading order.</summary>
    public IReadOnlyList<string> SkippedVolumes { get; init; } = [];
}
