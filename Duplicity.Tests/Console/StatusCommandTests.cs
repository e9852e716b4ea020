using Duplicity.Samples;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>collection-status and list-current-files print what duplicity prints, line for line.</summary>
[Category("Interop")]
[NonParallelizable]
public class StatusCommandTests
{
    private static string CopyFixture(TempFolder tmp)
    {
        var source = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "fixtures", "plain", "remote");
        var remote = tmp.Sub("remote");
        Directory.CreateDirectory(remote);
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(remote, Path.GetFileName(f)));
        return "file://" + remote;
    }

    private static async Task<(int Code, string Out)> RunOursAsync(params string[] args)
    {
        var stdout = new StringWriter();
        int code = await ConsoleApp.RunAsync(args, stdout, new StringWriter());
        return (code, stdout.ToString());
    }

    private static string Normalise(string output, string archiveDir) =>
        output.Replace(archiveDir, "<archive-dir>").TrimEnd('\n');

    [TestCase("collection-status")]
    [TestCase("list-current-files")]
    [TestCase("list-current-files", "--time", "20200913T132820Z")]
    [TestCase("list-current-files", "--time", "1600000100")]
    public async Task OutputMatchesDuplicityOnTheFixture(string command, params string[] extra)
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var url = CopyFixture(tmp);
        string[] args = [command, .. extra, "--name", "fixture", url];
        // Both sync (or not) from the same state: each has its own fresh archive dir.
        var theirs = await DuplicityCli.RunAsync(tmp.Sub("theirs"), args);
        theirs.EnsureSuccess();
        var ours = await RunOursAsync([.. args, "--archive-dir", tmp.Sub("ours")]);
        Assert.That(ours.Code, Is.EqualTo(0));
        Assert.That(Normalise(ours.Out, Path.Combine(tmp.Sub("ours"), "fixture")),
            Is.EqualTo(Normalise(theirs.StandardOutput, Path.Combine(tmp.Sub("theirs"), "fixture"))));
    }
}
