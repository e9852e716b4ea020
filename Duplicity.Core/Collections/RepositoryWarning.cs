namespace Duplicity.Collections;

/// <summary>One problem found in a repository's files, with what it concerns.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Files">The signature files concerned (empty for the kinds about sets).</param>
/// <param name="Sets">The backup sets concerned (empty for the kinds about signature files).</param>
public sealed record RepositoryWarning(RepositoryWarningKind Kind, IReadOnlyList<string> Files, IReadOnlyList<BackupSet> Sets);
