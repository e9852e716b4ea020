namespace Duplicity.Tests.Support;

/// <summary>The built console as its own process, so that environment variables (PASSPHRASE, stdin) reach it as they reach duplicity.</summary>
internal static class ConsoleProcess
{
    public static Task<ExternalTool.Result> RunAsync(IDictionary<string, string?> environment, IEnumerable<string> args) =>
        ExternalTool.RunAsync(ExternalTool.Require("dotnet"), [Path.Combine(TestContext.CurrentContext.TestDirectory, "duplicity-net.dll"), .. args], environment);
}
