namespace Duplicity.Sessions;

/// <summary>What a replicate run wrote to the target.</summary>
public sealed class ReplicateResult
{
    /// <summary>The names written to the target, in the order written.</summary>
    public required IReadOnlyList<string> FilesWritten { get; init; }

    /// <summary>Signature files and backup sets skipped because the target already had them.</summary>
    public int AlreadyReplicated { get; init; }
}
