using System.Text;
using System.Text.RegularExpressions;
using Duplicity.Files;

namespace Duplicity.Archive.Manifests;

/// <summary>
/// Reads a manifest with duplicity's rules: case-insensitive keywords, volume blocks anywhere, later
/// duplicates replacing earlier ones, the repair of resumed-backup manifests, and the Filelist in
/// either position. Works on one char per byte so every byte survives.
/// </summary>
internal static partial class ManifestParser
{
    private const string Ws = @"[ \t\n\r\f\v]";

    [GeneratedRegex(@"(^|\n)hostname" + Ws + @"(.*?)\n", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HostnamePattern();

    [GeneratedRegex(@"(^|\n)localdir" + Ws + @"(.*?)\n", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LocaldirPattern();

    [GeneratedRegex(@"(?:^|\n)(volume" + Ws + @".*(?:\n.*)*?)(?=\nvolume" + Ws + "|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VolumeBlockPattern();

    [GeneratedRegex(@"^Volume ([0-9]+):", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VolumeLinePattern();

    [GeneratedRegex(@"(^|\n)filelist" + Ws + @"([0-9]+)\n(.*?)(\nvolume" + Ws + "|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex FilelistPattern();

    /// <summary>Parses manifest bytes.</summary>
    /// <param name="data">The plaintext manifest.</param>
    /// <param name="readFilelist">
    /// Whether to read the Filelist; duplicity reads it only for <c>--file-changed</c> and
    /// <c>--show-changes-in-set</c>, so a malformed Filelist is an error only when asked for.
    /// </param>
    /// <exception cref="ArchiveCorruptException">The manifest is malformed where duplicity would fail.</exception>
    public static Manifest Parse(ReadOnlySpan<byte> data, bool readFilelist = true)
    {
        string s = Encoding.Latin1.GetString(data);
        var manifest = new Manifest();

        byte[]? host = Field(HostnamePattern(), s);
        if (host is not null)
        {
            try
            {
                manifest.Hostname = new UTF8Encoding(false, true).GetString(host);
            }
            catch (DecoderFallbackException e)
            {
                throw new ArchiveCorruptException("Manifest host name is not UTF-8.", e);
            }
        }
        manifest.LocalDir = Field(LocaldirPattern(), s);

        int highest = 0, latest = 0;
        foreach (Match m in VolumeBlockPattern().Matches(s))
        {
            ManifestVolume volume = ParseVolume(m.Groups[1].Value);
            manifest.Volumes[volume.Number] = volume;
            latest = volume.Number;
            highest = Math.Max(highest, latest);
        }
        // A resumed backup may list "1, 2, 3, 2": the entries above the last one read are stale.
        for (int i = latest + 1; i <= highest; i++)
        {
            if (!manifest.Volumes.Remove(i))
                throw new ArchiveCorruptException($"Volume {i} not present in manifest");
        }

        if (readFilelist) ReadFilelist(s, manifest);
        return manifest;
    }

    private static byte[]? Field(Regex pattern, string s)
    {
        Match m = pattern.Match(s);
        return m.Success ? PathQuoting.Unquote(Encoding.Latin1.GetBytes(m.Groups[2].Value)) : null;
    }

    private static ManifestVolume ParseVolume(string block)
    {
        string[] lines = StripAscii(block).Split('\n');
        Match first = VolumeLinePattern().Match(lines[0]);
        if (!first.Success || !int.TryParse(first.Groups[1].ValueSpan, out int number))
            throw new ArchiveCorruptException($"Bad first line '{lines[0]}' of a manifest volume.");

        IndexPath? start = null, end = null;
        int? startBlock = null, endBlock = null;
        var hashes = new List<(string, string)>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            string[] words = SplitAscii(lines[i]);
            if (words.Length == 0) throw new ArchiveCorruptException($"Blank line in manifest volume {number}.");
            switch (words[0].ToLowerInvariant())
            {
                case "startingpath":
                    (start, startBlock) = PathAndBlock(words, number);
                    break;
                case "endingpath":
                    (end, endBlock) = PathAndBlock(words, number);
                    break;
                case "hash":
                    if (words.Length < 3) throw new ArchiveCorruptException($"Bad Hash line in manifest volume {number}.");
                    hashes.Add((Utf8(words[1]), Utf8(words[2])));
                    break;
            }
        }
        if (start is null || end is null)
            throw new ArchiveCorruptException($"Start or end index not set in manifest volume {number}.");
        var volume = new ManifestVolume { Number = number, StartPath = start.Value, StartBlock = startBlock, EndPath = end.Value, EndBlock = endBlock };
        foreach (var (type, hex) in hashes) volume.SetHash(type, hex);
        return volume;
    }

    private static (IndexPath, int?) PathAndBlock(string[] words, int volume)
    {
        if (words.Length < 2) throw new ArchiveCorruptException($"Missing path in manifest volume {volume}.");
        byte[] raw = PathQuoting.Unquote(Encoding.Latin1.GetBytes(words[1]));
        IndexPath path;
        try
        {
            path = IndexPath.FromBytes(raw);
        }
        catch (ArgumentException e)
        {
            throw new ArchiveCorruptException($"Bad path in manifest volume {volume}.", e);
        }
        if (words.Length < 3) return (path, null);
        if (!Naming.PythonInt.TryParse(words[2], out long block) || block < int.MinValue || block > int.MaxValue)
            throw new ArchiveCorruptException($"Bad block number in manifest volume {volume}.");
        return (path, (int)block);
    }

    private static void ReadFilelist(string s, Manifest manifest)
    {
        Match m = FilelistPattern().Match(s);
        if (!m.Success) return;
        if (!int.TryParse(m.Groups[2].ValueSpan, out int count))
            throw new ArchiveCorruptException("Bad Filelist count in manifest.");
        var entries = new List<ManifestFileChange>();
        if (count > 0)
        {
            foreach (string line in m.Groups[3].Value.Split('\n'))
            {
                string[] words = SplitAscii(line);
                if (words.Length == 0) throw new ArchiveCorruptException("Blank line in manifest Filelist.");
                byte[] quoted = Encoding.Latin1.GetBytes(string.Concat(words.AsSpan(1)));
                entries.Add(new ManifestFileChange(Utf8(words[0]), quoted.Length == 0 ? quoted : PathQuoting.Unquote(quoted)));
            }
        }
        manifest.Filelist = entries;
        manifest.FilelistCountMismatch = count != entries.Count;
    }

    private static string Utf8(string latin1)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(Encoding.Latin1.GetBytes(latin1));
        }
        catch (DecoderFallbackException e)
        {
            throw new ArchiveCorruptException("Manifest field is not UTF-8.", e);
        }
    }

    private static bool IsAsciiSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';

    private static string StripAscii(string s)
    {
        int a = 0, b = s.Length;
        while (a < b && IsAsciiSpace(s[a])) a++;
        while (b > a && IsAsciiSpace(s[b - 1])) b--;
        return s[a..b];
    }

    private static string[] SplitAscii(string s) => s.Split([' ', '\t', '\n', '\r', '\v', '\f'], StringSplitOptions.RemoveEmptyEntries);
}
