using Duplicity.Backends;
using Duplicity.Backends.Rclone;
using Duplicity.Tests.Backends.Ssh;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Rclone;

/// <summary>The backend contract through the real rclone on a <c>local</c> remote, configured with <c>--config</c>.</summary>
[Category("Interop")]
[TestFixture]
public class RcloneLocalConformanceTests : BackendConformanceTests
{
    private string _root = "";
    private RcloneConfig _config = null!;
    private string _folder = "";

    [OneTimeSetUp]
    public void WriteConfig()
    {
        _root = Path.Combine(Path.GetTempPath(), "dup-rclone-local-" + Guid.NewGuid().ToString("N")[..12]);
        _config = RcloneConfig.Write(Path.Combine(_root, "config"));
    }

    [OneTimeTearDown]
    public void RemoveConfig()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    protected override Task<IBackend> CreateBackendAsync()
    {
        // A nested folder that does not exist yet; "loc://abs" is duplicity's way to name an absolute path.
        _folder = Path.Combine(_root, "t-" + Guid.NewGuid().ToString("N")[..8]) + "/target";
        var backend = RcloneBackend.Open(BackendUrl.Parse($"rclone://{RcloneConfig.LocalRemote}:/{_folder}"), new BackendOpenOptions(), _config.Options());
        return Task.FromResult<IBackend>(backend);
    }

    protected override Task CleanupAsync()
    {
        if (Directory.Exists(_folder))
            Assert.That(Directory.GetFiles(_folder, "*.tmp"), Is.Empty, "leftover temporary upload files");
        var top = Path.GetDirectoryName(_folder)!;
        if (Directory.Exists(top))
            Directory.Delete(top, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The backend contract through the real rclone on an <c>sftp</c> remote (a real sshd), configured with <c>RCLONE_CONFIG</c>.</summary>
[Category("Server")]
[TestFixture]
public class RcloneSftpConformanceTests : BackendConformanceTests
{
    private SshServerFixture _server = null!;
    private RcloneConfig _config = null!;
    private string _folder = "";

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        ExternalTool.Require("rclone");
        _server = await SshServerFixture.StartAsync("key", "duprclone");
        _config = RcloneConfig.Write(Path.Combine(_server.WorkDir, "rclone"), _server);
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    protected override Task<IBackend> CreateBackendAsync()
    {
        _folder = "t-" + Guid.NewGuid().ToString("N")[..8] + "/target";
        var backend = new BackendRegistry().AddRclone().Open($"rclone://{RcloneConfig.SftpRemote}:{_folder}", _config.OpenOptions());
        return Task.FromResult(backend);
    }

    protected override Task CleanupAsync() => SftpTestFolder.CheckAndDeleteAsync(_server, _folder);
}
