namespace Duplicity.Tests.Support.Faults;

/// <summary>
/// A tmpfs of a few KiB mounted on a folder, for real ENOSPC; unmounted on dispose. Needs root (CI runs as
/// root); elsewhere the test is ignored, or failed under DUPLICITY_REQUIRE_SERVERS=1.
/// </summary>
public sealed class SmallTmpfs : IAsyncDisposable
{
    private SmallTmpfs(string path) => Path = path;

    public string Path { get; }

    public static async Task<SmallTmpfs> MountAsync(string path, int kibibytes)
    {
        Requirement.That(OrdinaryUser.IsRoot && OperatingSystem.IsLinux(), "a small tmpfs needs root on Linux");
        Directory.CreateDirectory(path);
        var mount = await ExternalTool.RunAsync(ExternalTool.Require("mount"), ["-t", "tmpfs", "-o", $"size={kibibytes}k,mode=0755", "tmpfs", path]);
        Requirement.That(mount.ExitCode == 0, "cannot mount a tmpfs here: " + mount.StandardError);
        return new SmallTmpfs(path);
    }

    public async ValueTask DisposeAsync() =>
        await ExternalTool.RunAsync(ExternalTool.Require("umount"), ["-l", Path]);
}
