namespace Duplicity.Tests.Fuzzing;

/// <summary>
/// One parser under fuzzing: where its seeds live, what it may throw on bad input (its contract), how
/// to run it on one input, and optional structure-aware mutations.
/// </summary>
internal abstract class FuzzTarget
{
    /// <summary>Folder name under TestData/fuzz and the name used in findings.</summary>
    public abstract string Name { get; }

    /// <summary>The typed errors bad input may raise, in words (for failure messages).</summary>
    public abstract string Contract { get; }

    /// <summary>True when <paramref name="error"/> is within the contract.</summary>
    public abstract bool IsExpected(Exception error);

    /// <summary>Runs the parser on <paramref name="input"/>; streams it reads are metered by <paramref name="budget"/>.</summary>
    /// <exception cref="FuzzInvariantException">A property that must hold for accepted input does not.</exception>
    public abstract void Execute(byte[] input, FuzzBudget budget);

    /// <summary>Tokens of the format worth inserting (keywords, magic numbers).</summary>
    public virtual IReadOnlyList<byte[]> Dictionary => [];

    /// <summary>A format-aware mutation (e.g. a numeric field pushed to an extreme); the default does nothing.</summary>
    public virtual byte[] MutateStructure(byte[] input, Random random) => input;

    /// <summary>Repairs what would stop most mutants at the door (e.g. tar header checksums); runs after mutation.</summary>
    public virtual byte[] Fixup(byte[] input, Random random) => input;
}
