namespace Duplicity.Sessions;

/// <summary>What a verify found.</summary>
public sealed record VerifyResult
{
    /// <summary>Objects compared (the union of both sides).</summary>
    public required long FilesCompared { get; init; }

    /// <summary>The differences, in path order (empty unless <see cref="VerifyOptions.CompareData"/> was set).</summary>
    public required IReadOnlyList<VerifyDifference> Differences { get; init; }
}
