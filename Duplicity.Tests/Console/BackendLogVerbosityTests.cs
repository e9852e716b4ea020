using Duplicity.Samples;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>The console hands its logger to the backends: their messages show at debug verbosity only.</summary>
[Category("Unit")]
public class BackendLogVerbosityTests
{
    [TestCase("debug", true)]
    [TestCase("notice", false)]
    public async Task BackendMessagesReachTheConsoleAtDebugVerbosity(string verbosity, bool shown)
    {
        using var tmp = new TempFolder();
        var url = "file://" + tmp.Sub("remote");
        var output = new StringWriter();

        int code = await ConsoleApp.RunAsync(["collection-status", "-v", verbosity, "--archive-dir", tmp.Sub("cache"), url], output, output);

        Assert.That(code, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString().Contains("Opened the file backend " + url, StringComparison.Ordinal), Is.EqualTo(shown), output.ToString());
    }
}
