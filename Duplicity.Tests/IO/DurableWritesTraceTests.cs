using System.Text.RegularExpressions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.IO;

/// <summary>
/// Watches the system calls of a real backup (the console in a child process under strace): every file the
/// file backend stores and every file the archive dir keeps must be fsynced under a temporary name, renamed
/// into place, and its folder fsynced after the rename.
/// </summary>
[Category("Fault")]
public partial class DurableWritesTraceTests
{
    [Test]
    public async Task EveryStoredAndCachedFileIsSyncedRenamedAndItsFolderSynced()
    {
        var strace = ExternalTool.Require("strace");
        var dotnet = ExternalTool.Require("dotnet");
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        Directory.CreateDirectory(source);
        File.WriteAllBytes(Path.Combine(source, "a"), new byte[300_000]);
        File.WriteAllText(Path.Combine(source, "b"), "b");
        var backend = tmp.Sub("backend");
        var archive = tmp.Sub("archive");
        var log = tmp.Sub("trace");
        var console = Path.Combine(TestContext.CurrentContext.TestDirectory, "duplicity-net.dll");

        var run = await ExternalTool.RunAsync(strace,
            ["-f", "-y", "-qq", "-e", "trace=fsync,fdatasync,rename,renameat,renameat2", "-o", log,
             dotnet, console, "full", "--no-encryption", "--archive-dir", archive, "--name", "n", source, "file://" + backend],
            new Dictionary<string, string?> { ["HOME"] = tmp.Path, ["TMPDIR"] = tmp.Path, ["DOTNET_NOLOGO"] = "1" });
        run.EnsureSuccess();

        var calls = File.ReadAllLines(log);
        var stored = Directory.GetFiles(backend).Concat(Directory.GetFiles(Path.Combine(archive, "n"))).ToList();
        Assert.That(stored.Count(f => Path.GetDirectoryName(f) == backend), Is.GreaterThanOrEqualTo(3), "volume, signatures, manifest stored");
        Assert.That(stored.Count(f => Path.GetDirectoryName(f) != backend), Is.EqualTo(2), "signatures and manifest cached");
        foreach (var file in stored)
        {
            var renamed = Array.FindIndex(calls, c => Rename().Match(c) is { Success: true } m && m.Groups["to"].Value == file);
            Assert.That(renamed, Is.GreaterThanOrEqualTo(0), $"{file} was renamed into place");
            var temporary = Rename().Match(calls[renamed]).Groups["from"].Value;
            Assert.That(Path.GetDirectoryName(temporary), Is.EqualTo(Path.GetDirectoryName(file)), "renamed within its folder");
            Assert.That(calls.Take(renamed).Any(c => IsSyncOf(c, temporary)), Is.True, $"{temporary} was fsynced before the rename");
            Assert.That(calls.Skip(renamed + 1).Any(c => IsSyncOf(c, Path.GetDirectoryName(file)!)), Is.True, $"the folder of {file} was fsynced after the rename");
        }
    }

    private static bool IsSyncOf(string call, string path) => Sync().Match(call) is { Success: true } m && m.Groups["path"].Value == path;

    // strace -y prints a descriptor as fd<path>.
    [GeneratedRegex(@"\bf(?:data)?sync\(\d+<(?<path>[^>]*)>")]
    private static partial Regex Sync();

    [GeneratedRegex(@"\brename(?:at2?)?\((?:[^,]*, )?""(?<from>[^""]*)"", (?:[^,]*, )?""(?<to>[^""]*)""")]
    private static partial Regex Rename();
}
