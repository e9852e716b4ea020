using Duplicity.Samples;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>collection-status --file-changed / --show-changes-in-set print what duplicity prints on the fixture.</summary>
[Category("Interop")]
[NonParallelizable]
public class FileChangesCommandTests
{
    private static string CopyFixture(TempFolder tmp)
    {
        var source = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "fixtures", "plain", "remote");
        var remote = tmp.Sub("remote");
        Directory.CreateDirectory(remote);
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(remote, Path.GetFileName(f)));
        return "file://" + remote;
    }

    private static async Task<string> RunOursAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await ConsoleApp.RunAsync(args, stdout, stderr);
        Assert.That(code, Is.EqualTo(0), stderr.ToString());
        return stdout.ToString();
    }

    [Test]
    public async Task ReportsMatchDuplicityBeforeAndAfterTheCacheIsFilled()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var url = CopyFixture(tmp);
        string[][] queries =
        [
            ["--file-changed", "big.bin"],
            ["--file-changed", "file with space.txt"],
            ["--file-changed", "ünïcødé.txt"],
            ["--file-changed", "sub/nested.txt/"],
            ["--file-changed", "no-such-file"],
            ["--show-changes-in-set", "0"],
            ["--show-changes-in-set", "1"],
            ["--show-changes-in-set", "2"],
            ["--show-changes-in-set", "-1"],
        ];
        foreach (bool synced in new[] { false, true })
        {
            if (synced)
            {
                // Each tool fills its own cache, as some other command would.
                (await DuplicityCli.RunAsync(tmp.Sub("theirs"), "list-current-files", "--name", "f", url)).EnsureSuccess();
                await RunOursAsync("list-current-files", "--name", "f", url, "--archive-dir", tmp.Sub("ours"));
            }
            foreach (var query in queries)
            {
                if (!synced && query[0] == "--show-changes-in-set" && query[1] != "0") continue;
                string[] args = ["collection-status", .. query, "--name", "f", url];
                var theirs = await DuplicityCli.RunAsync(tmp.Sub("theirs"), args);
                theirs.EnsureSuccess();
                var ours = await RunOursAsync([.. args, "--archive-dir", tmp.Sub("ours")]);
                Assert.That(ours, Is.EqualTo(theirs.StandardOutput), $"{string.Join(' ', query)} (cache synced: {synced})");
            }
        }
        var big = await RunOursAsync("collection-status", "--file-changed", "big.bin", "--name", "f", url, "--archive-dir", tmp.Sub("ours"));
        Assert.That(big, Does.Contain("Total number of backup: 3").And.Contain("            b'Changed'"));
    }

    [Test]
    public async Task ASetNumberPastTheChainFailsLikeDuplicity()
    {
        using var tmp = new TempFolder();
        var url = CopyFixture(tmp);
        int code = await ConsoleApp.RunAsync(["collection-status", "--show-changes-in-set", "3", "--name", "f", url, "--archive-dir", tmp.Sub("ours")],
            new StringWriter(), new StringWriter());
        Assert.That(code, Is.EqualTo(30));
    }
}
