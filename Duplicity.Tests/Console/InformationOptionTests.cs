using Duplicity.Samples;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary><c>--version</c> and <c>--help</c> answer without a command, as duplicity's do.</summary>
[Category("Interop")]
public class InformationOptionTests
{
    [Test]
    public async Task VersionPrintsWhatDuplicityPrints()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var theirs = await DuplicityCli.RunAsync(tmp.Sub("cache"), "--version");
        var stdout = new StringWriter();
        int code = await ConsoleApp.RunAsync(["--version"], stdout, new StringWriter());
        Assert.That(code, Is.EqualTo(theirs.ExitCode).And.EqualTo(0));
        Assert.That(stdout.ToString().Trim(), Is.EqualTo(theirs.StandardOutput.Trim()));
    }

    [Test]
    public async Task HelpListsTheCommandsAndExitsZero()
    {
        var stdout = new StringWriter();
        int code = await ConsoleApp.RunAsync(["--help"], stdout, new StringWriter());
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout.ToString(), Does.Contain("remove-all-but-n-full").And.Contain("list-current-files"));
    }
}
