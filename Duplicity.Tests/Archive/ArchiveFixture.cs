using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Archive;

/// <summary>The fixture made by real duplicity (TestData/fixtures/plain) and the facts FIXTURE.md states.</summary>
internal static partial class ArchiveFixture
{
    public static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "fixtures", "plain");

    public static string Remote => Path.Combine(Root, "remote");

    public static IEnumerable<string> RemoteNames() =>
        Directory.GetFiles(Remote).Select(Path.GetFileName).Select(n => n!).Order(StringComparer.Ordinal);

    public static byte[] Plaintext(string fileName)
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(Remote, fileName)), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }

    public sealed record ExpectedEntry(string Name, string Type, long Size);

    public sealed record ExpectedTar(string File, long PlaintextLength, long EntriesEnd, IReadOnlyList<ExpectedEntry> Entries);

    [GeneratedRegex(@"^- `(?<file>[^`]+)`: plaintext (?<len>\d+) bytes, entries end at (?<end>\d+), [^:]*: (?<entries>.*)$", RegexOptions.Multiline)]
    private static partial Regex TarLine();

    [GeneratedRegex(@"`(?<name>[^`]+)` \((?<type>\w+), (?<size>\d+)\)")]
    private static partial Regex EntryPattern();

    /// <summary>The "Tar entries in each volume and signature file" list of FIXTURE.md.</summary>
    public static IReadOnlyList<ExpectedTar> ExpectedTars()
    {
        string text = File.ReadAllText(Path.Combine(Root, "FIXTURE.md"), Encoding.UTF8);
        var result = new List<ExpectedTar>();
        foreach (Match m in TarLine().Matches(text))
        {
            var entries = EntryPattern().Matches(m.Groups["entries"].Value)
                .Select(e => new ExpectedEntry(e.Groups["name"].Value, e.Groups["type"].Value, long.Parse(e.Groups["size"].Value)))
                .ToList();
            result.Add(new ExpectedTar(m.Groups["file"].Value, long.Parse(m.Groups["len"].Value), long.Parse(m.Groups["end"].Value), entries));
        }
        return result;
    }

    /// <summary>Runs a Python snippet with the real interpreter; Ignore (or fail under DUPLICITY_REQUIRE_SERVERS=1) when missing.</summary>
    public static string RunPython(string script, string stdin, params string[] environment)
    {
        string python = "/usr/bin/python3";
        if (!File.Exists(python))
        {
            Requirement.Missing("python3 is not installed (run scripts/install-test-tools.sh)");
        }
        var psi = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (string pair in environment)
        {
            int eq = pair.IndexOf('=');
            psi.Environment[pair[..eq]] = pair[(eq + 1)..];
        }
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(0), "python failed: " + err.Result);
        return output;
    }
}
