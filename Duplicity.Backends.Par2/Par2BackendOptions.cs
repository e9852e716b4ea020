namespace Duplicity.Backends.Par2;

/// <summary>How the par2 wrapper makes recovery files: duplicity's <c>--par2-redundancy</c>, <c>--par2-volumes</c> and <c>--par2-options</c>.</summary>
public sealed class Par2BackendOptions
{
    /// <summary>The par2 program: a name looked up on <c>PATH</c> or a full path. Defaults to <c>par2</c>.</summary>
    public string Executable { get; set; } = "par2";

    /// <summary>The recovery data in percent of the file (<c>par2 c -r</c>, <c>--par2-redundancy</c>). Defaults to 10.</summary>
    public int Redundancy { get; set; } = 10;

    /// <summary>The number of recovery volume files (<c>par2 c -n</c>, <c>--par2-volumes</c>). Defaults to 1.</summary>
    public int Volumes { get; set; } = 1;

    /// <summary>
    /// Further arguments for every par2 command (<c>--par2-options</c>, already split into words), placed
    /// before duplicity's <c>-q -q</c>.
    /// </summary>
    public IList<string> ExtraArguments { get; } = [];

    /// <summary>
    /// Where files are spooled while par2 works on them (one private folder per call, removed at its end).
    /// Null: the system's temporary folder.
    /// </summary>
    public string? TempDirectory { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> when a number is out of par2's range.</summary>
    public void Validate()
    {
        if (Redundancy is < 0 or > 100)
            throw new ArgumentException($"The par2 redundancy must be between 0 and 100 percent, not {Redundancy}.");
        if (Volumes is < 1 or > 32768)
            throw new ArgumentException($"The number of par2 volumes must be between 1 and 32768, not {Volumes}.");
        if (string.IsNullOrEmpty(Executable))
            throw new ArgumentException("The par2 program is not named.");
    }

    /// <summary>A copy, so later changes of this instance do not reach wrappers made with the copy.</summary>
    public Par2BackendOptions Clone()
    {
        var copy = new Par2BackendOptions { Executable = Executable, Redundancy = Redundancy, Volumes = Volumes, TempDirectory = TempDirectory };
        foreach (var argument in ExtraArguments)
            copy.ExtraArguments.Add(argument);
        return copy;
    }
}
