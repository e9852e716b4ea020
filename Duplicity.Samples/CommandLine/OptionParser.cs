namespace Duplicity.Samples.CommandLine;

/// <summary>
/// Reads arguments the way duplicity's option parser (Python optparse) does: options anywhere,
/// <c>--name=value</c> or <c>--name value</c>, long names abbreviated to any unique prefix, short
/// options with attached or separate values, and <c>--</c> ending the options.
/// </summary>
internal static class OptionParser
{
    public static ParsedCommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new ParsedCommandLine();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                result.Positionals.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                string name = arg;
                string? inline = null;
                int eq = arg.IndexOf('=');
                if (eq > 0) { name = arg[..eq]; inline = arg[(eq + 1)..]; }
                var spec = MatchLong(name);
                var values = new string[spec.ValueCount];
                if (spec.ValueCount == 0)
                {
                    if (inline != null) throw new CommandLineException($"{spec.Name} option does not take a value", true);
                }
                else
                {
                    int k = 0;
                    if (inline != null) values[k++] = inline;
                    for (; k < spec.ValueCount; k++)
                    {
                        if (++i >= args.Count)
                            throw new CommandLineException(spec.ValueCount == 1 ? $"{spec.Name} option requires 1 argument" : $"{spec.Name} option requires {spec.ValueCount} arguments", true);
                        values[k] = args[i];
                    }
                }
                result.Options.Add((spec, values));
            }
            else if (arg.Length > 1 && arg[0] == '-')
            {
                // A group of short options: flags may be bundled, a value-taking one ends the group.
                for (int j = 1; j < arg.Length; j++)
                {
                    var spec = MatchShort("-" + arg[j]);
                    if (spec.ValueCount == 0)
                    {
                        result.Options.Add((spec, []));
                        continue;
                    }
                    string value;
                    if (j + 1 < arg.Length) value = arg[(j + 1)..];
                    else if (++i < args.Count) value = args[i];
                    else throw new CommandLineException($"-{arg[j]} option requires 1 argument", true);
                    result.Options.Add((spec, [value]));
                    break;
                }
            }
            else
            {
                result.Positionals.Add(arg);
            }
        }
        return result;
    }

    private static OptionSpec MatchLong(string name)
    {
        var exact = DuplicityOptionTable.All.FirstOrDefault(o => o.Names.Contains(name));
        if (exact != null) return exact;
        var candidates = DuplicityOptionTable.All
            .SelectMany(o => o.Names.Where(n => n.StartsWith("--", StringComparison.Ordinal)).Select(n => (o, n)))
            .Where(x => x.n.StartsWith(name, StringComparison.Ordinal))
            .ToList();
        if (candidates.Count == 1) return candidates[0].o;
        if (candidates.Count == 0) throw new CommandLineException($"no such option: {name}", true);
        var names = string.Join(", ", candidates.Select(c => c.n).Order(StringComparer.Ordinal));
        throw new CommandLineException($"ambiguous option: {name} ({names}?)", true);
    }

    private static OptionSpec MatchShort(string name) =>
        DuplicityOptionTable.All.FirstOrDefault(o => o.Names.Contains(name))
        ?? throw new CommandLineException($"no such option: {name}", true);
}
