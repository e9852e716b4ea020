namespace Duplicity.Tests.Support.Faults;

/// <summary>
/// A folder made immutable (<c>chattr +i</c>): even root may not change its owner, permissions or times
/// (EPERM), a failure a restore really meets. The flag is cleared on dispose so the folder can be deleted.
/// Needs root (CAP_LINUX_IMMUTABLE) and a file system with the flag; elsewhere the test is ignored, or failed
/// under DUPLICITY_REQUIRE_SERVERS=1.
/// </summary>
public sealed class ImmutableFolder : IAsyncDisposable
{
    private ImmutableFolder(string path) => Path = path;

    public string Path { get; }

    public static async Task<ImmutableFolder> MakeAsync(string path)
    {
        Requirement.That(OrdinaryUser.IsRoot, "chattr +i needs root");
        Directory.CreateDirectory(path);
        var set = await ExternalTool.RunAsync(ExternalTool.Require("chattr"), ["+i", path]);
        Requirement.That(set.ExitCode == 0, "cannot make a folder immutable here: " + set.StandardError);
        return new ImmutableFolder(path);
    }

    public async ValueTask DisposeAsync() =>
        (await ExternalTool.RunAsync(ExternalTool.Require("chattr"), ["-i", Path])).EnsureSuccess();
}
