using Duplicity.Samples;

namespace Duplicity.Tests.Support;

/// <summary>Runs the console in-process on one command line and captures what it printed.</summary>
public static class ConsoleRun
{
    /// <summary>The exit code, standard output and standard error of <c>duplicity <paramref name="args"/></c>.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await ConsoleApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
