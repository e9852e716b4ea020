using System.Text;
using System.Text.Json;
using Duplicity.Selection;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Selection;

/// <summary>
/// Asks duplicity's own Python selection code (glob_get_sf on a real Select, and re.search for
/// regexps) for verdicts on many (pattern, path) pairs in one python3 run. Strings travel as lists
/// of code points so lone surrogates (surrogate-escaped bytes) survive.
/// </summary>
internal static class PythonSelectionReference
{
    public sealed record Case(string Kind, string Pattern, bool Include, string Path, bool IsDirectory);

    private const string Script = """
        import json, os, re, sys
        from duplicity import config, log
        log.setup()
        from duplicity import selection, path as dpath
        def s(cps): return ''.join(map(chr, cps))
        class Fake:
            def __init__(self, name, isdir): self.uc_name = name; self._d = isdir
            def isdir(self): return self._d
        root = dpath.Path(sys.argv[1])
        cases = json.load(sys.stdin)
        out = []
        for kind, pat, inc, p, isdir in cases:
            pat, p = s(pat), s(p)
            try:
                if kind == 'glob':
                    sel = selection.Select(root)
                    r = sel.glob_get_sf(pat, 1 if inc else 0)(Fake(p, isdir))
                    out.append({None: 'none', 0: 'exclude', 1: 'include', 2: 'scan'}[r])
                else:
                    out.append('include' if re.search(pat, p) else 'none')
            except Exception as e:
                out.append('error:' + type(e).__name__)
        json.dump(out, sys.stdout)
        """;

    public static async Task<List<string>> RunAsync(string rootDirectory, IReadOnlyList<Case> cases)
    {
        // duplicity's own interpreter (Debian's), not whichever python3 comes first on PATH.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : ExternalTool.Require("python3");
        var located = await ExternalTool.RunAsync(python, ["-c", "import duplicity.selection"]);
        if (located.ExitCode != 0) Requirement.Missing("duplicity's Python modules cannot be imported (run scripts/install-test-tools.sh): " + located.StandardError.Trim());
        using var tmp = new TempFolder();
        string script = tmp.Sub("ref.py");
        File.WriteAllText(script, Script);
        string input = JsonSerializer.Serialize(cases.Select(c => new object[]
        {
            c.Kind, CodePointSet.CodePoints(c.Pattern), c.Include, CodePointSet.CodePoints(c.Path), c.IsDirectory,
        }));
        string inputFile = tmp.Sub("in.json");
        File.WriteAllText(inputFile, input, new UTF8Encoding(false));
        var result = await ExternalTool.RunAsync("/bin/sh", ["-c", $"\"{python}\" \"{script}\" \"{rootDirectory}\" < \"{inputFile}\""]);
        if (result.ExitCode != 0) Assert.Fail("python reference failed:\n" + result.StandardError);
        return JsonSerializer.Deserialize<List<string>>(result.StandardOutput)!;
    }

    /// <summary>Our verdict for the same case, in the reference's words.</summary>
    public static string Ours(Case c, string rootText, bool rootIsDirectory)
    {
        try
        {
            var type = c.IsDirectory ? Duplicity.Files.FileEntryType.Directory : Duplicity.Files.FileEntryType.Regular;
            var candidate = new SelectionCandidate(c.Path, type, null);
            SelectionFunction f = c.Kind == "glob"
                ? GlobFunction.Create(c.Pattern, c.Include, rootText, rootIsDirectory)
                : new RegexFunction(c.Pattern, include: true);
            return f.Evaluate(candidate) switch
            {
                RuleVerdict.None => "none",
                RuleVerdict.Exclude => "exclude",
                RuleVerdict.Include => "include",
                _ => "scan",
            };
        }
        catch (DuplicityException e)
        {
            return e.Code switch
            {
                DuplicityErrorCode.FilePrefixError => "error:FilePrefixError",
                DuplicityErrorCode.GlobbingError => "error:GlobbingError",
                _ => "error:other",
            };
        }
    }
}
