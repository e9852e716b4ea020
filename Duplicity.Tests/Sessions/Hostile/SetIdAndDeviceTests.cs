using Duplicity.Repository;
using System.Text;
using Duplicity.Archive.Tar;
using Duplicity.Files;
using Duplicity.Sessions;
using Duplicity.Tests.Support;
using static Duplicity.Tests.Sessions.Hostile.HostileVolume;

namespace Duplicity.Tests.Sessions.Hostile;

/// <summary>
/// Set-uid/set-gid files and device nodes: an ordinary user restores the files without those bits
/// and skips the devices (with warnings); root restores both unless the options refuse them.
/// </summary>
[Category("Fault")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class SetIdAndDeviceTests
{
    private const int SetIdBits = 0xC00;

    private static (TarEntryHeader, byte[])[] SetIdArchive() =>
    [
        Dir("snapshot/./"),
        File("snapshot/both", "#!/bin/sh\n", 0xDED),   // 06755
        CharDevice("snapshot/null", 1, 3),
        File("snapshot/sgid", "#!/bin/sh\n", 0x5ED),   // 02755
        Dir("snapshot/shared", 0x5FD),                 // 02775: set-gid on a directory only picks the group of new files
        File("snapshot/suid", "#!/bin/sh\n", 0x9ED),   // 04755
        File("snapshot/zplain", "plain\n", 0x1ED),     // 0755
    ];

    private static int ModeOf(string path) => Posix.Lstat(Encoding.UTF8.GetBytes(path)).Mode & 0xFFF;

    [Test]
    public async Task AnOrdinaryUserRestoresSetIdFilesWithoutTheBitsAndSkipsDevices()
    {
        using var tmp = new TempFolder();
        var remote = tmp.Sub("remote");
        Directory.CreateDirectory(remote);
        foreach (var (name, content) in HostileVolume.Files(SetIdArchive())) await System.IO.File.WriteAllBytesAsync(Path.Combine(remote, name), content);
        // A home only the ordinary user can write: the target, cache and temporary files go there.
        var home = tmp.Sub("home");
        Directory.CreateDirectory(home);
        await OrdinaryUser.OwnAsync(home);
        uint user = OrdinaryUser.IsRoot ? OrdinaryUser.Uid : Posix.GetEffectiveUserId();
        var outside = new OutsideWitness(home);
        var target = Path.Combine(home, "target");

        var run = await OrdinaryUser.RunConsoleAsync(home,
            ["restore", "--no-encryption", "--archive-dir", Path.Combine(home, "cache"), "file://" + remote, target], TimeSpan.FromMinutes(2));

        run.EnsureSuccess();
        var output = run.StandardOutput + run.StandardError;
        Assert.Multiple(() =>
        {
            Assert.That(ModeOf(Path.Combine(target, "suid")), Is.EqualTo(0x1ED));
            Assert.That(ModeOf(Path.Combine(target, "sgid")), Is.EqualTo(0x1ED));
            Assert.That(ModeOf(Path.Combine(target, "both")), Is.EqualTo(0x1ED));
            Assert.That(ModeOf(Path.Combine(target, "zplain")), Is.EqualTo(0x1ED));
            Assert.That(ModeOf(Path.Combine(target, "shared")), Is.EqualTo(0x5FD), "a directory keeps set-gid");
            Assert.That(Posix.Lstat(Encoding.UTF8.GetBytes(Path.Combine(target, "suid"))).Uid, Is.EqualTo(user));
            Assert.That(Posix.TryLstat(Encoding.UTF8.GetBytes(Path.Combine(target, "null")), out _), Is.False, "no device as an ordinary user");
            Assert.That(output, Does.Contain("set-uid/set-gid bits of suid"));
            Assert.That(output, Does.Contain("Not restoring device null"));
        });
        outside.AssertUnchanged();
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task RootRestoresSetIdBitsAndDevicesUnlessTheOptionsRefuseThem(bool allow)
    {
        if (Posix.GetEffectiveUserId() != 0) Requirement.Missing("needs root");
        using var tmp = new TempFolder();
        var outside = new OutsideWitness(tmp.Path);
        var target = tmp.Sub("target");
        var result = await Support.Sessions.RestoreAsync(Backend(SetIdArchive()), new RepositoryOptions
        {
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "x",
        }, new RestoreOptions
        {
            Target = target,
            AllowSetIdBits = allow,
            AllowDeviceFiles = allow,
        });

        Assert.Multiple(() =>
        {
            Assert.That(result.SetIdBitsDropped, Is.EqualTo(allow ? 0 : 3));
            Assert.That(result.DeviceFilesSkipped, Is.EqualTo(allow ? 0 : 1));
            Assert.That(result.ObjectsRestored, Is.EqualTo(allow ? 7 : 6));
            Assert.That(ModeOf(Path.Combine(target, "suid")), Is.EqualTo(allow ? 0x9ED : 0x1ED));
            Assert.That(ModeOf(Path.Combine(target, "sgid")), Is.EqualTo(allow ? 0x5ED : 0x1ED));
            Assert.That(ModeOf(Path.Combine(target, "both")) & SetIdBits, Is.EqualTo(allow ? SetIdBits : 0));
            Assert.That(ModeOf(Path.Combine(target, "shared")), Is.EqualTo(0x5FD));
            Assert.That(Posix.TryLstat(Encoding.UTF8.GetBytes(Path.Combine(target, "null")), out var device), Is.EqualTo(allow));
            if (allow) Assert.That(device.EntryType, Is.EqualTo(FileEntryType.CharacterDevice));
        });
        outside.AssertUnchanged();
    }
}
