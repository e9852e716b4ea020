namespace Duplicity.Samples.CommandLine;

/// <summary>Options in the order given (name, values) and the positional words, before interpretation.</summary>
internal sealed class ParsedCommandLine
{
    public List<(OptionSpec Option, string[] Values)> Options { get; } = [];

    public List<string> Positionals { get; } = [];

    public bool Has(string name) => Options.Any(o => o.Option.Name == name || o.Option.Names.Contains(name));

    /// <summary>The last value given for an option (optparse's "store" keeps the last).</summary>
    public string? Last(string name)
    {
        for (int i = Options.Count - 1; i >= 0; i--)
            if (Options[i].Option.Names.Contains(name)) return Options[i].Values.FirstOrDefault();
        return null;
    }

    /// <summary>Every value of a repeatable option, in order.</summary>
    public IEnumerable<string> All(string name) =>
        Options.Where(o => o.Option.Names.Contains(name)).Select(o => o.Values.FirstOrDefault() ?? "");
}
