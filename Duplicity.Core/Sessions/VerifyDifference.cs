namespace Duplicity.Sessions;

/// <summary>One difference a verify with <see cref="VerifyOptions.CompareData"/> found between the backup and the local folder.</summary>
/// <param name="Path">The object's path relative to the backup root (<c>.</c> for the root).</param>
/// <param name="Kind">What differs.</param>
/// <param name="Expected">The backup's value, in the form <paramref name="Kind"/> documents; null where the kind has none.</param>
/// <param name="Found">The local value, in the same form; null where the kind has none.</param>
public sealed record VerifyDifference(string Path, VerifyDifferenceKind Kind, string? Expected = null, string? Found = null);
