namespace Duplicity.Samples.CommandLine;

/// <summary>What a duplicity command line asks for.</summary>
internal enum ActionKind
{
    /// <summary>Backup with no command word: incremental, or full when there is no chain.</summary>
    AutoBackup,
    Full,
    Incremental,
    Restore,
    Verify,
    CollectionStatus,
    ListCurrentFiles,
    Cleanup,
    RemoveOlderThan,
    RemoveAllButNFull,
    RemoveAllIncOfButNFull,
    Replicate,
}
