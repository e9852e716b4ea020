using Duplicity.Backends;
using Duplicity.Backends.Ssh;

namespace Duplicity.Tests.Backends.Ssh;

/// <summary>The backend contract against a real sshd, logging in with a private key.</summary>
[Category("Server")]
[TestFixture]
public class SftpKeyAuthConformanceTests : BackendConformanceTests
{
    private SshServerFixture _server = null!;
    private string _folder = "";

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await SshServerFixture.StartAsync("key", "dupsshkey");

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    protected override Task<IBackend> CreateBackendAsync()
    {
        // A nested folder that does not exist yet: the backend must create it.
        _folder = "t-" + Guid.NewGuid().ToString("N")[..8] + "/target";
        var backend = SftpBackend.Open(BackendUrl.Parse(_server.Url(_folder)), _server.OpenOptions(), _server.Options(_server.KeyEd25519));
        return Task.FromResult<IBackend>(backend);
    }

    protected override Task CleanupAsync() => SftpTestFolder.CheckAndDeleteAsync(_server, _folder);
}

/// <summary>The backend contract against a real sshd, logging in with a password from FTP_PASSWORD.</summary>
[Category("Server")]
[TestFixture]
public class SftpPasswordAuthConformanceTests : BackendConformanceTests
{
    private SshServerFixture _server = null!;
    private string _folder = "";

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await SshServerFixture.StartAsync("password", "dupsshpw");

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    protected override Task<IBackend> CreateBackendAsync()
    {
        _folder = "t-" + Guid.NewGuid().ToString("N")[..8];
        var backend = SftpBackend.Open(BackendUrl.Parse(_server.Url(_folder)), _server.OpenOptions(_server.Password), _server.Options());
        return Task.FromResult<IBackend>(backend);
    }

    protected override Task CleanupAsync() => SftpTestFolder.CheckAndDeleteAsync(_server, _folder);
}

internal static class SftpTestFolder
{
    /// <summary>Fails on leftover temporary upload files, then removes the test's folder on the server.</summary>
    public static Task CheckAndDeleteAsync(SshServerFixture server, string folder)
    {
        var local = Path.Combine(server.Home, folder);
        if (Directory.Exists(local))
            Assert.That(Directory.GetFiles(local, "*.tmp"), Is.Empty, "leftover temporary upload files");
        var top = Path.Combine(server.Home, folder.Split('/')[0]);
        if (Directory.Exists(top))
            Directory.Delete(top, recursive: true);
        return Task.CompletedTask;
    }
}
