using System.Text;
using System.Text.RegularExpressions;
using Duplicity.Files;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Files;

/// <summary>
/// Watches the metadata calls of a real restore (the console under strace): a file that already has the
/// owner and permission bits it is to get (created with them) gets no chown or chmod, each of which still
/// dirties the inode; a file whose owner changes gets both, chmod after chown so set-id bits survive.
/// Either way the restored owners, modes and mtimes are the source's.
/// </summary>
[Category("Fault")]
public partial class RestoreMetadataCallsTests
{
    private static bool IsRoot => Posix.GetEffectiveUserId() == 0;

    [Test]
    public async Task OnlyMetadataThatDiffersIsSetAndTheResultIsTheSource()
    {
        var strace = ExternalTool.Require("strace");
        var dotnet = ExternalTool.Require("dotnet");
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        var same = Path.Combine(source, "same");
        Directory.CreateDirectory(same);
        foreach (var (name, mode) in new[] { ("a", "644"), ("b", "600"), ("c", "755"), ("d", "640") })
        {
            var path = Path.Combine(same, name);
            File.WriteAllText(path, name + " content");
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(mode, 8));
        }
        if (IsRoot)
        {
            var other = Path.Combine(source, "other");
            Directory.CreateDirectory(other);
            foreach (var (name, mode) in new[] { ("e", 0x1A0 /* 0640 */), ("f", 0x9ED /* 04755 */) })
            {
                var path = Path.Combine(other, name);
                File.WriteAllText(path, name + " content");
                Posix.Lchown(Encoding.UTF8.GetBytes(path), 54321, 54322);
                // After the chown, which clears set-uid.
                File.SetUnixFileMode(path, (UnixFileMode)mode);
            }
        }
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, new DateTime(2020, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        var backend = tmp.Sub("backend");
        var target = tmp.Sub("target");
        var log = tmp.Sub("trace");
        var console = Path.Combine(TestContext.CurrentContext.TestDirectory, "duplicity-net.dll");
        var environment = new Dictionary<string, string?> { ["HOME"] = tmp.Path, ["TMPDIR"] = tmp.Path, ["DOTNET_NOLOGO"] = "1" };
        (await ExternalTool.RunAsync(dotnet, [console, "full", "--no-encryption", "--archive-dir", tmp.Sub("archive"), "--name", "n",
            source, "file://" + backend], environment)).EnsureSuccess();

        // A known umask, so that the files of "same" can be created with their final bits.
        var run = await ExternalTool.RunAsync("/bin/sh",
            ["-c", "umask 022; exec \"$@\"", "sh", strace, "-f", "-y", "-qq", "-e", "trace=fchown,fchmod", "-o", log,
             dotnet, console, "restore", "--no-encryption", "--archive-dir", tmp.Sub("archive"), "--name", "n", "file://" + backend, target],
            environment);
        run.EnsureSuccess();

        var calls = File.ReadAllLines(log).Select(c => Call().Match(c)).Where(m => m.Success).ToList();
        var onFiles = calls.Where(m => Path.GetDirectoryName(m.Groups["path"].Value) is { } folder && folder != target
            && Path.GetDirectoryName(folder) == target).ToList();
        Assert.That(onFiles.Where(m => Path.GetDirectoryName(m.Groups["path"].Value) == Path.Combine(target, "same")).Select(m => m.Value),
            Is.Empty, "no chown or chmod of a file created with its final owner and mode");
        if (IsRoot)
        {
            var inOther = onFiles.Where(m => Path.GetDirectoryName(m.Groups["path"].Value) == Path.Combine(target, "other")).ToList();
            Assert.That(inOther.Count(m => m.Groups["call"].Value == "fchown"), Is.EqualTo(2), "each file of another owner is chowned");
            Assert.That(inOther.Count(m => m.Groups["call"].Value == "fchmod"), Is.EqualTo(2), "and then chmodded");
        }
        Assert.That(calls.Any(m => m.Groups["call"].Value == "fchmod" && m.Groups["path"].Value == Path.Combine(target, "same")), Is.True,
            "the folder, made 0700, gets its mode");

        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var restored = Path.Combine(target, Path.GetRelativePath(source, file));
            var want = Posix.Lstat(Encoding.UTF8.GetBytes(file));
            var got = Posix.Lstat(Encoding.UTF8.GetBytes(restored));
            Assert.That(Convert.ToString(got.Mode & 0xFFF, 8), Is.EqualTo(Convert.ToString(want.Mode & 0xFFF, 8)), restored);
            Assert.That((got.Uid, got.Gid), Is.EqualTo((want.Uid, want.Gid)), restored);
            Assert.That(got.MTimeSeconds, Is.EqualTo(want.MTimeSeconds), restored);
            Assert.That(File.ReadAllText(restored), Is.EqualTo(File.ReadAllText(file)), restored);
        }
    }

    // strace -y prints a descriptor as fd<path>.
    [GeneratedRegex(@"\b(?<call>fchown|fchmod)\(\d+<(?<path>[^>]*)>")]
    private static partial Regex Call();
}
