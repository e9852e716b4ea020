using System.Text.RegularExpressions;
using Duplicity.Archive.Naming;

namespace Duplicity.Selection;

public sealed partial class FileSelection
{
    private enum OptionKind { Flag, Text, File, Time }

    private static readonly Dictionary<string, OptionKind> Options = new(StringComparer.Ordinal)
    {
        ["--include"] = OptionKind.Text,
        ["--exclude"] = OptionKind.Text,
        ["--include-regexp"] = OptionKind.Text,
        ["--exclude-regexp"] = OptionKind.Text,
        ["--include-filelist"] = OptionKind.File,
        ["--exclude-filelist"] = OptionKind.File,
        ["--include-globbing-filelist"] = OptionKind.File,
        ["--exclude-globbing-filelist"] = OptionKind.File,
        ["--exclude-if-present"] = OptionKind.File,
        ["--exclude-device-files"] = OptionKind.Flag,
        ["--exclude-other-filesystems"] = OptionKind.Flag,
        ["--null-separator"] = OptionKind.Flag,
        ["--exclude-older-than"] = OptionKind.Time,
    };

    /// <summary>
    /// Builds a selection from duplicity's selection options exactly as typed on its command line
    /// (<c>--include X</c>, <c>--exclude=X</c>, <c>--exclude-filelist F</c>, <c>--exclude-older-than 2D</c>, ...),
    /// keeping their order. Filelists are read here, as duplicity opens them while parsing options.
    /// </summary>
    /// <param name="args">Option words and values.</param>
    /// <param name="time">Clock and local zone for <c>--exclude-older-than</c>; the system's by default.</param>
    /// <exception cref="DuplicityException">Code 2 for an unknown option, a missing value or a bad time;
    /// code 7 when a filelist cannot be opened.</exception>
    public static FileSelection Parse(IEnumerable<string> args, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        time ??= TimeProvider.System;
        var selection = new FileSelection();
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            string word = list[i] ?? throw new ArgumentException("An argument is null.", nameof(args));
            string name = word;
            string? value = null;
            int eq = word.IndexOf('=');
            if (word.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = word[..eq];
                value = word[(eq + 1)..];
            }
            if (!Options.TryGetValue(name, out var kind))
                throw CommandLine(word.StartsWith('-') ? "no such option: " + name : "unexpected argument: " + word);
            if (kind == OptionKind.Flag)
            {
                if (value is not null) throw CommandLine(name + " option does not take a value");
            }
            else if (value is null)
            {
                if (i + 1 >= list.Count) throw CommandLine(name + " option requires 1 argument");
                value = list[++i];
            }
            selection.Apply(name, kind == OptionKind.File ? ExpandFileName(value!) : value, time);
        }
        return selection;
    }

    private void Apply(string option, string? value, TimeProvider time)
    {
        switch (option)
        {
            case "--include": Include(value!); break;
            case "--exclude": Exclude(value!); break;
            case "--include-regexp": IncludeRegex(value!); break;
            case "--exclude-regexp": ExcludeRegex(value!); break;
            case "--include-filelist" or "--include-globbing-filelist": IncludeFilelist(value!); break;
            case "--exclude-filelist" or "--exclude-globbing-filelist": ExcludeFilelist(value!); break;
            case "--exclude-if-present": ExcludeIfPresent(value!); break;
            case "--exclude-device-files": ExcludeDeviceFiles(); break;
            case "--exclude-other-filesystems": ExcludeOtherFilesystems(); break;
            case "--null-separator": NullSeparator = true; break;
            case "--exclude-older-than":
                long seconds;
                try
                {
                    seconds = DuplicityTime.ParseUserTime(value!, time.GetUtcNow(), time.LocalTimeZone);
                }
                catch (ArgumentException e)
                {
                    throw CommandLine($"option {option}: {e.Message}", e);
                }
                ExcludeOlderThan(seconds);
                break;
        }
    }

    private static DuplicityException CommandLine(string message, Exception? inner = null) =>
        new(DuplicityErrorCode.CommandLine, message, inner);

    /// <summary>duplicity expands file arguments like Python's expanduser(expandvars(...)).</summary>
    internal static string ExpandFileName(string value)
    {
        string expanded = EnvironmentVariable().Replace(value, m =>
        {
            string key = m.Value[1] == '{' ? m.Value[2..^1] : m.Value[1..];
            return Environment.GetEnvironmentVariable(key) ?? m.Value;
        });
        if (expanded.Length > 0 && expanded[0] == '~' && (expanded.Length == 1 || expanded[1] == '/'))
        {
            string? home = Environment.GetEnvironmentVariable("HOME");
            if (!string.IsNullOrEmpty(home)) expanded = home.TrimEnd('/') + expanded[1..];
            if (expanded.Length == 0) expanded = "/";
        }
        return expanded;
    }

    [GeneratedRegex(@"\$([A-Za-z0-9_]+|\{[^}]*\})", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentVariable();
}
