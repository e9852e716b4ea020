using System.Diagnostics;
using Duplicity.Backends;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends;

[Category("Unit")]
public class FileBackendTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot()
    {
        _root = Path.Combine(Path.GetTempPath(), "dup-file-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void DeleteRoot()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    [Test]
    public async Task RelativePathsResolveAgainstTheCurrentDirectory()
    {
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _root;
        try
        {
            var registry = new BackendRegistry().AddFileSystem();
            await using var fromUrl = registry.Open("file://rel/sub");
            await using var fromPath = new FileBackend("plain");
            await fromUrl.PutAsync("a", new MemoryStream([1]));
            await fromPath.PutAsync("b", new MemoryStream([2]));

            Assert.That(File.ReadAllBytes(Path.Combine(_root, "rel", "sub", "a")), Is.EqualTo(new byte[] { 1 }));
            Assert.That(File.ReadAllBytes(Path.Combine(_root, "plain", "b")), Is.EqualTo(new byte[] { 2 }));
            Assert.That(fromUrl.DisplayName, Is.EqualTo("file://rel/sub"));
            Assert.That(fromPath.DisplayName, Is.EqualTo("file://" + Path.Combine(_root, "plain")));
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    [Test]
    public async Task AbsoluteUrlsNameTheFolder()
    {
        var folder = Path.Combine(_root, "deep", "er");
        await using var backend = new BackendRegistry().AddFileSystem().Open("file://" + folder);

        Assert.That(((FileBackend)backend).FolderPath, Is.EqualTo(folder));
        Assert.That(Directory.Exists(folder), Is.True, "created when missing");
    }

    [Test]
    public void AFileUrlWithoutPathIsABadUrl()
    {
        var error = Assert.Throws<DuplicityException>(() => new BackendRegistry().AddFileSystem().Open("file://"));
        Assert.That(error!.Code, Is.EqualTo(DuplicityErrorCode.BadUrl));
    }

    [Test]
    public async Task TemporaryUploadFilesAreNeverListedButOtherDotFilesAre()
    {
        await using var backend = new FileBackend(_root);
        File.WriteAllBytes(Path.Combine(_root, ".vol1.difftar.0123456789abcdef.tmp"), [1]);
        File.WriteAllBytes(Path.Combine(_root, ".0123456789abcdef.tmp"), [1]);
        File.WriteAllBytes(Path.Combine(_root, ".hidden"), [1, 2]);
        File.WriteAllBytes(Path.Combine(_root, "report.tmp"), [1, 2, 3]);
        Directory.CreateDirectory(Path.Combine(_root, "a-folder"));

        var listed = new Dictionary<string, long>();
        await foreach (var file in backend.ListAsync())
            listed.Add(file.Name, file.Size);

        Assert.That(listed, Is.EquivalentTo(new Dictionary<string, long> { [".hidden"] = 2, ["report.tmp"] = 3 }));
    }

    [Test]
    public async Task AnUploadInProgressLivesInAHiddenTemporaryFile()
    {
        await using var backend = new FileBackend(_root);
        var gate = new TaskCompletionSource();
        var source = new ScriptedSourceStream(new byte[3 * FileBackend.BufferSize]) { TriggerAfter = FileBackend.BufferSize, Gate = gate.Task };

        var put = backend.PutAsync("vol.difftar", source);
        await source.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var during = Directory.GetFiles(_root).Select(Path.GetFileName).ToArray();
        gate.SetResult();
        await put;

        Assert.That(during, Has.Length.EqualTo(1));
        Assert.That(during[0], Does.StartWith(".vol.difftar.").And.EndWith(".tmp"));
        Assert.That(Directory.GetFiles(_root).Select(Path.GetFileName), Is.EqualTo(new[] { "vol.difftar" }));
    }

    [Test]
    public async Task GetReturnsAnAsynchronousFileStream()
    {
        await using var backend = new FileBackend(_root);
        await backend.PutAsync("f", new MemoryStream([1, 2, 3]));

        await using var stream = await backend.GetAsync("f");

        Assert.That(stream, Is.InstanceOf<FileStream>());
        Assert.That(((FileStream)stream).IsAsync, Is.True);
    }

    [Test]
    public async Task AMissingFolderListsAsNotFound()
    {
        var folder = Path.Combine(_root, "gone");
        await using var backend = new FileBackend(folder);
        Directory.Delete(folder);

        var error = Assert.ThrowsAsync<BackendException>(async () => { await foreach (var _ in backend.ListAsync()) { } });
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.NotFound));
        Assert.DoesNotThrowAsync(() => backend.DeleteAsync(["x"]), "deleting from a missing folder deletes nothing");
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AReadOnlyFolderIsPermissionDenied()
    {
        if (OperatingSystem.IsWindows())
            Requirement.Missing("Unix folder permissions are needed");
        if (OrdinaryUser.IsRoot)
        {
            await AReadOnlyFolderIsPermissionDeniedForAnOrdinaryUserAsync();
            return;
        }
        await using var backend = new FileBackend(_root);
        File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            Assert.That(CanCreateFileIn(_root), Is.False, "an ordinary user cannot create files in a 0500 folder");

            var error = Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("f", new MemoryStream([1])));
            Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.PermissionDenied));
            Assert.That(error.Code, Is.EqualTo(DuplicityErrorCode.BackendPermissionDenied));
        }
        finally
        {
            File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Root ignores folder modes, so CI checks the same through the console run as nobody.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static async Task AReadOnlyFolderIsPermissionDeniedForAnOrdinaryUserAsync()
    {
        using var tmp = new TempFolder();
        var home = tmp.Sub("home");
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(tmp.Sub("src")).FullName, "f"), "data");
        var readOnly = tmp.Sub("readonly");
        Directory.CreateDirectory(readOnly);
        foreach (var path in new[] { home, tmp.Sub("src"), readOnly }) await OrdinaryUser.OwnAsync(path);
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var result = await OrdinaryUser.RunConsoleAsync(home,
            ["full", "--no-encryption", "--num-retries", "1", "--archive-dir", Path.Combine(home, "cache"), tmp.Sub("src"), "file://" + readOnly]);
        Assert.That(result.ExitCode, Is.EqualTo((int)DuplicityErrorCode.BackendPermissionDenied), result.StandardOutput + result.StandardError);
        Assert.That(Directory.EnumerateFileSystemEntries(readOnly), Is.Empty);
    }

    private static bool CanCreateFileIn(string folder)
    {
        var probe = Path.Combine(folder, "probe");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task AFullDiskIsNoSpaceAndKeepsThePreviousFile(bool seekableSource)
    {
        var mountPoint = Path.Combine(_root, "small");
        Directory.CreateDirectory(mountPoint);
        MountTinyTmpfsOrIgnore(mountPoint);
        try
        {
            await using var backend = new FileBackend(mountPoint);
            var original = new byte[100_000];
            Random.Shared.NextBytes(original);
            await backend.PutAsync("vol", new MemoryStream(original));
            var big = new byte[4 * 1024 * 1024];
            Stream source = seekableSource ? new MemoryStream(big) : new ScriptedSourceStream(big);

            var error = Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("vol", source));

            Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.NoSpace), error.ToString());
            Assert.That(error.Code, Is.EqualTo(DuplicityErrorCode.BackendNoSpace));
            Assert.That(Directory.GetFiles(mountPoint).Select(Path.GetFileName), Is.EqualTo(new[] { "vol" }), "temporary file removed");
            Assert.That(File.ReadAllBytes(Path.Combine(mountPoint, "vol")), Is.EqualTo(original));
        }
        finally
        {
            Run("umount", mountPoint);
        }
    }

    private static void MountTinyTmpfsOrIgnore(string mountPoint)
    {
        if (!OperatingSystem.IsLinux())
            Requirement.Missing("a full disk is simulated with a Linux tmpfs");
        var (exitCode, output) = Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint);
        if (exitCode != 0)
            Requirement.Missing($"cannot mount a 1 MiB tmpfs here (needs root): {output.Trim()}");
    }

    private static (int ExitCode, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
