using Duplicity.Tests.Support;
using static Duplicity.Tests.Sessions.Hostile.CraftedArchive;

namespace Duplicity.Tests.Sessions.Hostile;

/// <summary>A restore into a 2 MiB tmpfs stops with a typed error and leaves nothing half-written under a final name.</summary>
[Category("Fault")]
public class DiskFullTests
{
    [Test]
    public async Task ARestoreThatRunsOutOfSpaceStopsWithATypedErrorAndNoPartialFile()
    {
        using var tmp = new TempFolder();
        var small = Directory.CreateDirectory(tmp.Sub("small")).FullName;
        await MountSmallTmpfsAsync(small);
        try
        {
            var big = new byte[5 << 20];
            new Random(2).NextBytes(big);
            var volume = Gzip(Tar(
                (Dir("snapshot/./"), []),
                (File("snapshot/a.txt", 6), "hello\n"u8.ToArray()),
                (File("snapshot/big.bin", big.Length), big),
                (File("snapshot/c.txt", 6), "after\n"u8.ToArray())));
            var target = Path.Combine(small, "target");
            var e = Assert.ThrowsAsync<OutOfSpaceException>(async () => await RestoreAsync(await BackendWithAsync(volume, encrypted: false), tmp, target: target));
            Assert.That(e!.Code, Is.EqualTo(DuplicityErrorCode.NotEnoughFreeSpace));
            var left = Directory.GetFileSystemEntries(target, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
            Assert.That(left, Is.EquivalentTo(new[] { "a.txt" }), "the file written before is whole; no partial or temporary file remains");
            Assert.That(new FileInfo(Path.Combine(target, "a.txt")).Length, Is.EqualTo(6));
        }
        finally
        {
            await ExternalTool.RunAsync(ExternalTool.Require("umount"), [small]);
        }
    }

    /// <summary>Mounts a 2 MiB tmpfs (root only); without that power the test cannot run here.</summary>
    private static async Task MountSmallTmpfsAsync(string at)
    {
        var run = await ExternalTool.RunAsync(ExternalTool.Require("mount"), ["-t", "tmpfs", "-o", "size=2m", "tmpfs", at]);
        if (run.ExitCode == 0) return;
        var reason = "cannot mount a tmpfs here (needs root): " + run.StandardError.Trim();
        Requirement.Missing(reason);
    }
}
