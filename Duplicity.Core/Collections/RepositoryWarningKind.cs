namespace Duplicity.Collections;

/// <summary>What is wrong with a repository's set of files; <c>cleanup</c> removes what these name.</summary>
public enum RepositoryWarningKind
{
    /// <summary>New-signatures files in the local archive dir that belong to no signature chain.</summary>
    OrphanedLocalSignatures,

    /// <summary>New-signatures files on the backend that belong to no signature chain.</summary>
    OrphanedRemoteSignatures,

    /// <summary>Signature chains exist, but no backup chain they match (incrementals cannot build on them).</summary>
    SignaturesWithoutBackups,

    /// <summary>Backup sets without a manifest, usually left by an interrupted run.</summary>
    IncompleteSets,

    /// <summary>Complete incremental sets that belong to no chain.</summary>
    OrphanedSets,
}
