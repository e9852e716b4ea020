using Duplicity.Tests.Support;

namespace Duplicity.Tests.Interop;

/// <summary>Runs the real duplicity 0.8.22 with a private archive dir.</summary>
public static class DuplicityCli
{
    public static Task<ExternalTool.Result> RunAsync(string archiveDir, params string[] args) =>
        RunWithEnvironmentAsync(archiveDir, new Dictionary<string, string?> { ["PASSPHRASE"] = null }, args);

    /// <summary>Runs duplicity with extra environment variables (PASSPHRASE, GNUPGHOME, ...).</summary>
    public static async Task<ExternalTool.Result> RunWithEnvironmentAsync(string archiveDir, IDictionary<string, string?> environment, params string[] args)
    {
        var exe = ExternalTool.Require("duplicity");
        var all = new List<string>(args) { "--archive-dir", archiveDir };
        return await ExternalTool.RunAsync(exe, all, environment);
    }
}
