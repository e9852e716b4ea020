using Duplicity.Backends;
using Duplicity.Backends.Rclone;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Rclone;

/// <summary>duplicity's reading of rclone URLs, and the kinds rclone's failures are reported as.</summary>
[Category("Unit")]
[TestFixture]
public class RcloneUrlAndErrorTests
{
    [TestCase("rclone://remote:path", "remote:path")]
    [TestCase("rclone://remote:path/sub/dir", "remote:path/sub/dir")]
    [TestCase("rclone://remote:/path", "remote:path")]
    [TestCase("rclone://remote://abs/path", "remote:/abs/path")]
    [TestCase("rclone://remote:", "remote:")]
    [TestCase("rclone://remote:123", "remote:123")]
    [TestCase("rclone://my-remote:with%20space", "my-remote:with space")]
    public void TheRemoteIsReadAsDuplicityReadsIt(string url, string remote)
    {
        var backend = new BackendRegistry().AddRclone().Open(url);
        Assert.That(((RcloneBackend)backend).Remote, Is.EqualTo(remote));
        Assert.That(backend.DisplayName, Is.EqualTo("rclone://" + remote));
    }

    [Test]
    public void OtherSchemesStillRefuseAPathAsPort()
    {
        var e = Assert.Throws<DuplicityException>(() => BackendUrl.Parse("sftp://host:path/x"));
        Assert.That(e!.Code, Is.EqualTo(DuplicityErrorCode.BadUrl));
    }

    [TestCase("remote:", "a", "remote:a")]
    [TestCase("remote:dir", "a", "remote:dir/a")]
    [TestCase("remote:dir/", "a", "remote:dir/a")]
    public void FilesAreJoinedWithoutNamingTheServerRoot(string remote, string name, string expected)
    {
        Assert.That(RcloneRemote.File(remote, name), Is.EqualTo(expected));
    }

    [TestCase(3, "", BackendErrorKind.NotFound)]
    [TestCase(4, "", BackendErrorKind.NotFound)]
    [TestCase(5, "", BackendErrorKind.Transient)]
    [TestCase(7, "account suspended", BackendErrorKind.Permanent)]
    [TestCase(1, "Failed to create file system for \"x:\": didn't find section in config file", BackendErrorKind.Permanent)]
    [TestCase(1, "Failed to deletefile: loc:/d/zz is a directory or doesn't exist", BackendErrorKind.NotFound)]
    [TestCase(2, "ERROR : a: Failed to copy: AccessDenied: Access Denied\n\tstatus code: 403", BackendErrorKind.PermissionDenied)]
    [TestCase(2, "Failed to copy: couldn't connect SSH: ssh: handshake failed: ssh: unable to authenticate", BackendErrorKind.PermissionDenied)]
    [TestCase(2, "write /x: no space left on device", BackendErrorKind.NoSpace)]
    [TestCase(2, "dial tcp 127.0.0.1:1: connect: connection refused", BackendErrorKind.Transient)]
    public void FailuresAreClassified(int exitCode, string stderr, BackendErrorKind kind)
    {
        Assert.That(RcloneErrorTranslator.Classify(exitCode, stderr), Is.EqualTo(kind));
    }

    [Test]
    public void AMessageKeepsTheLastLineWithoutItsPassword()
    {
        var e = RcloneErrorTranslator.Translate("upload of a", 2, "first\nFailed: https://user:s3cret@host/x refused\n");
        Assert.That(e.Message, Does.Contain("https://user:***@host/x refused").And.Not.Contain("s3cret").And.Contain("exit code 2"));
        Assert.That(e.Code, Is.EqualTo(DuplicityErrorCode.BackendGaveUp));
    }

    [Test]
    public void AMissingRcloneProgramIsAPermanentError()
    {
        var backend = RcloneBackend.Open(BackendUrl.Parse("rclone://remote:x"), null, new RcloneBackendOptions { Executable = "/nonexistent/rclone" });
        var e = Assert.ThrowsAsync<BackendException>(async () => await backend.ListAsync().ToListAsync());
        Assert.That(e!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
        Assert.That(e.Message, Does.StartWith("rclone not found"));
    }
}

/// <summary>rclone's own failures through the real program: an unknown remote, a missing file, a killed upload.</summary>
[Category("Interop")]
[TestFixture]
public class RcloneFailureTests
{
    [Test]
    public void AnUnknownRemoteIsAPermanentErrorNamingTheConfiguration()
    {
        using var tmp = new TempFolder();
        var config = RcloneConfig.Write(tmp.Sub("config"));
        var backend = RcloneBackend.Open(BackendUrl.Parse("rclone://nosuchremote:x"), null, config.Options());
        var e = Assert.ThrowsAsync<BackendException>(async () => await backend.PutAsync("a", new MemoryStream([1, 2, 3])));
        Assert.That(e!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
        Assert.That(e.Message, Does.Contain("didn't find section in config file"));
    }

    [Test]
    public async Task TheConfigurationComesFromRcloneConfigInTheOpenOptions()
    {
        using var tmp = new TempFolder();
        var config = RcloneConfig.Write(tmp.Sub("config"));
        var folder = tmp.Sub("store");
        await using var backend = new BackendRegistry().AddRclone().Open($"rclone://{RcloneConfig.LocalRemote}:/{folder}", config.OpenOptions());
        await backend.PutAsync("f", new MemoryStream([1, 2, 3]));
        Assert.That(File.ReadAllBytes(Path.Combine(folder, "f")), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public async Task AFileOpenedByNameIsCopiedByRcloneAndAnyOtherStreamIsFedToRcat()
    {
        using var tmp = new TempFolder();
        var config = RcloneConfig.Write(tmp.Sub("config"));
        var folder = tmp.Sub("store");
        var log = new RecordingLoggerFactory();
        await using var backend = RcloneBackend.Open(BackendUrl.Parse($"rclone://{RcloneConfig.LocalRemote}:/{folder}"),
            new BackendOpenOptions { LoggerFactory = log }, config.Options());
        var data = new byte[3 * 1024 * 1024 + 17];
        new Random(9).NextBytes(data);
        var local = tmp.Sub("volume.bin");
        await File.WriteAllBytesAsync(local, data);

        await using (var file = File.OpenRead(local))
            await backend.PutAsync("whole", file);
        Assert.That(Commands(log), Is.EqualTo(new[] { "copyto", "moveto" }), "a file opened by name is named to rclone");

        await using (var file = File.OpenRead(local))
        {
            file.Position = 5;
            await backend.PutAsync("tail", file);
        }
        await backend.PutAsync("memory", new MemoryStream(data));
        Assert.That(Commands(log).Skip(2), Is.EqualTo(new[] { "rcat", "moveto", "rcat", "moveto" }), "a stream already read from, and a memory stream, go through rcat");

        Assert.That(File.ReadAllBytes(Path.Combine(folder, "whole")), Is.EqualTo(data));
        Assert.That(File.ReadAllBytes(Path.Combine(folder, "tail")), Is.EqualTo(data[5..]));
        Assert.That(File.ReadAllBytes(Path.Combine(folder, "memory")), Is.EqualTo(data));
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "whole", "tail", "memory" }), "no temporary file left");
    }

    private static List<string> Commands(RecordingLoggerFactory log) =>
        // mkdir: the folder is made once, before the first upload.
        log.States.Where(s => s.ContainsKey("ExitCode")).Select(s => (string)s["Command"]!).Where(c => c != "mkdir").ToList();

    [Test]
    public async Task ADownloadCutShortByAKilledRcloneIsAnErrorNotAShortFile()
    {
        using var tmp = new TempFolder();
        var config = RcloneConfig.Write(tmp.Sub("config"));
        var folder = tmp.Sub("store");
        await using var backend = RcloneBackend.Open(BackendUrl.Parse($"rclone://{RcloneConfig.LocalRemote}:/{folder}"), null, config.Options());
        var data = new byte[8 * 1024 * 1024];
        new Random(5).NextBytes(data);
        await backend.PutAsync("big", new MemoryStream(data));

        await using var stream = await backend.GetAsync("big");
        var buffer = new byte[1024];
        Assert.That(await stream.ReadAsync(buffer), Is.GreaterThan(0));
        // Kill the rclone behind the stream, as a crash or an OOM killer would.
        foreach (var p in System.Diagnostics.Process.GetProcessesByName("rclone"))
        {
            using (p)
            {
                if (IsChildOfThisProcess(p))
                    p.Kill();
            }
        }
        Assert.ThrowsAsync<BackendException>(async () => await stream.CopyToAsync(Stream.Null));
    }

    private static bool IsChildOfThisProcess(System.Diagnostics.Process p)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{p.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == Environment.ProcessId;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
