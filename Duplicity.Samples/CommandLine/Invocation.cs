namespace Duplicity.Samples.CommandLine;

/// <summary>
/// A command line interpreted as duplicity 0.8.22 interprets it: the action, the backend URL(s), the
/// local path and the action's own argument (time or count).
/// </summary>
internal sealed class Invocation
{
    private static readonly string[] Commands =
    [
        "cleanup", "collection-status", "full", "incremental", "list-current-files", "remove-older-than",
        "remove-all-but-n-full", "remove-all-inc-of-but-n-full", "restore", "verify", "replicate",
    ];

    public required ActionKind Action { get; init; }
    public required string BackendUrl { get; init; }
    public string? SourceUrl { get; init; }
    public string? LocalPath { get; init; }
    public string? RemoveTime { get; init; }
    public int Count { get; init; }
    public required ParsedCommandLine Options { get; init; }

    public static Invocation Interpret(ParsedCommandLine parsed)
    {
        var args = new List<string>(parsed.Positionals);
        string command = "";
        if (args.Count > 0)
        {
            var possible = Commands.Where(c => c.StartsWith(args[0], StringComparison.Ordinal)).ToList();
            if (possible.Count > 1)
                throw new CommandLineException($"command '{args[0]}' not unique, could be [{string.Join(", ", possible.Select(p => $"'{p}'"))}]");
            if (possible.Count == 1)
            {
                command = possible[0];
                args.RemoveAt(0);
            }
        }

        int expect = 2;
        string? removeTime = null;
        int count = 0;
        switch (command)
        {
            case "cleanup" or "collection-status" or "list-current-files":
                expect = 1;
                break;
            case "remove-older-than":
                if (args.Count == 0) throw new CommandLineException("Missing time string for remove-older-than");
                removeTime = args[0];
                args.RemoveAt(0);
                expect = 1;
                break;
            case "remove-all-but-n-full" or "remove-all-inc-of-but-n-full":
                if (args.Count == 0) throw new CommandLineException("Missing count for " + command);
                if (!int.TryParse(args[0], out count))
                    throw new CommandLineException($"invalid literal for int() with base 10: '{args[0]}'");
                args.RemoveAt(0);
                if (count <= 0) throw new CommandLineException(command + " count must be > 0");
                expect = 1;
                break;
        }
        if (args.Count != expect) throw new CommandLineException($"Expected {expect} args, got {args.Count}");
        for (int i = 0; i < args.Count; i++)
            if (!IsUrl(args[i])) args[i] = LocalPathExpansion.Expand(args[i]);

        if (expect == 1)
        {
            var action = command switch
            {
                "cleanup" => ActionKind.Cleanup,
                "collection-status" => ActionKind.CollectionStatus,
                "list-current-files" => ActionKind.ListCurrentFiles,
                "remove-older-than" => ActionKind.RemoveOlderThan,
                "remove-all-but-n-full" => ActionKind.RemoveAllButNFull,
                _ => ActionKind.RemoveAllIncOfButNFull,
            };
            return new Invocation { Action = action, BackendUrl = args[0], RemoveTime = removeTime, Count = count, Options = parsed };
        }

        if (command == "replicate")
        {
            if (!IsUrl(args[0]) || !IsUrl(args[1])) throw new CommandLineException("Two URLs expected for replicate.");
            return new Invocation { Action = ActionKind.Replicate, SourceUrl = args[0], BackendUrl = args[1], Options = parsed };
        }

        bool firstIsUrl = IsUrl(args[0]), secondIsUrl = IsUrl(args[1]);
        if (!firstIsUrl && !secondIsUrl)
            throw new CommandLineException(
                "One of the arguments must be an URL.  Examples of URL strings are\n\"scp://user@host.net:1234/path\" and \"file:///usr/local\".  See the man\npage for more information.");
        if (firstIsUrl && secondIsUrl) throw new CommandLineException("Two URLs specified.  One argument should be a path.");

        if (secondIsUrl)
        {
            var backupAction = command switch
            {
                "full" => ActionKind.Full,
                "incremental" => ActionKind.Incremental,
                "verify" => throw new CommandLineException("verify option cannot be used when backing up"),
                _ => ActionKind.AutoBackup,
            };
            if (parsed.Has("--file-to-restore"))
                throw new CommandLineException($"restore option incompatible with {(backupAction == ActionKind.Full ? "full" : "inc")} backup");
            return new Invocation { Action = backupAction, BackendUrl = args[1], LocalPath = args[0], Options = parsed };
        }

        if (command == "full") throw new CommandLineException("full option cannot be used when restoring or verifying");
        if (command == "incremental") throw new CommandLineException("incremental option cannot be used when restoring or verifying");
        return new Invocation
        {
            Action = command == "verify" ? ActionKind.Verify : ActionKind.Restore,
            BackendUrl = args[0],
            LocalPath = args[1],
            Options = parsed,
        };
    }

    /// <summary>duplicity treats any argument with a URL scheme as a backend URL.</summary>
    public static bool IsUrl(string arg)
    {
        int sep = arg.IndexOf("://", StringComparison.Ordinal);
        return sep > 0 && arg[..sep].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
    }
}
