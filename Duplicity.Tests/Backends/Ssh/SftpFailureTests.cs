using Duplicity.Backends;
using Duplicity.Backends.Ssh;
using Duplicity.Diagnostics;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Ssh;

/// <summary>Error paths against a real sshd that accepts both keys and passwords.</summary>
[Category("Server")]
[TestFixture]
[NonParallelizable]
public class SftpFailureTests
{
    private SshServerFixture _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await SshServerFixture.StartAsync("both", "dupsshfail");

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    [Test]
    public async Task PasswordFromTheUrlLogsIn()
    {
        await using var backend = SftpBackend.Open(BackendUrl.Parse(_server.Url("pw-url", withPassword: true)), _server.OpenOptions(), _server.Options());
        await backend.PutAsync("a", new MemoryStream([1, 2]));
        Assert.That(File.ReadAllBytes(Path.Combine(_server.Home, "pw-url", "a")), Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(backend.DisplayName, Does.Not.Contain(_server.Password));
    }

    [Test]
    public async Task ConnectsAreLoggedWithoutThePassword()
    {
        var log = new RecordingLoggerFactory();
        await using (var backend = SftpBackend.Open(BackendUrl.Parse(_server.Url($"logged-{Guid.NewGuid():N}/deeper", withPassword: true)), _server.OpenOptions(loggerFactory: log), _server.Options()))
        {
            await backend.PutAsync("a", new MemoryStream([1]));
            Assert.That(await backend.ListAsync().CountAsync(), Is.EqualTo(1));
            await backend.DeleteAsync(["a"]);
        }

        Assert.That(log.EventIds, Is.EqualTo(new[]
        {
            DuplicityEventIds.SshConnecting, DuplicityEventIds.SshConnected, DuplicityEventIds.SshFolderCreated, DuplicityEventIds.SshFolderCreated,
        }));
        Assert.That(log.All[0], Does.Contain($"127.0.0.1:{_server.Port}").And.Contain(_server.User));
        Assert.That(log.All[1], Does.Contain("SHA256:"), "the host key that was checked");
        Assert.That(log.All, Has.None.Contains(_server.Password).And.None.Contains(Uri.EscapeDataString(_server.Password)));
    }

    [Test]
    public async Task WrongPasswordIsPermissionDenied()
    {
        await using var backend = SftpBackend.Open(BackendUrl.Parse(_server.Url("x")), _server.OpenOptions("wrong-password"), _server.Options());

        var error = Assert.ThrowsAsync<BackendException>(() => backend.ConnectAsync());

        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.PermissionDenied));
        Assert.That(error.Code, Is.EqualTo(DuplicityErrorCode.BackendPermissionDenied));
        Assert.That(error.Message, Does.Contain("Authentication as 'dupsshfail' failed").And.Not.Contain("wrong-password"));
    }

    [Test]
    public async Task NoCredentialsAtAllIsPermissionDenied()
    {
        await using var backend = SftpBackend.Open(BackendUrl.Parse(_server.Url("x")), _server.OpenOptions(), _server.Options());
        var error = Assert.ThrowsAsync<BackendException>(() => backend.ConnectAsync());
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.PermissionDenied));
        Assert.That(error.Message, Does.Contain("No credentials"));
    }

    [Test]
    public async Task AMissingNamedKeyFileIsPermanent()
    {
        await using var backend = SftpBackend.Open(BackendUrl.Parse(_server.Url("x")), _server.OpenOptions(), _server.Options("/nonexistent/key"));
        var error = Assert.ThrowsAsync<BackendException>(() => backend.ConnectAsync());
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
        Assert.That(error.Message, Does.Contain("/nonexistent/key"));
    }

    [Test]
    public async Task AnUnknownHostKeyIsRefused()
    {
        using var tmp = new TempFolder();
        var options = _server.Options(_server.KeyEd25519);
        options.KnownHostsFile = tmp.Sub("known_hosts"); // missing file = nothing known
        await using var backend = SftpBackend.Open(BackendUrl.Parse(_server.Url("x")), _server.OpenOptions(), options);

        var error = Assert.ThrowsAsync<BackendException>(() => backend.ConnectAsync());

        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
        Assert.That(error.Message, Does.Contain($"'[127.0.0.1]:{_server.Port}' is not in the known-hosts file"));
        Assert.That(Directory.Exists(Path.Combine(_server.Home, "x")), Is.False, "nothing may happen on an untrusted server");
    }

    [Test]
    public async Task AChangedHostKeyIsRefused()
    {
        using var tmp = new TempFolder();
        // The server's name with some other ed25519 key, as after a server reinstall (or an attack).
        var otherKey = File.ReadAllText(_server.KeyEd25519 + ".pub").Split(' ');
        File.WriteAllText(tmp.Sub("known_hosts"), $"[127.0.0.1]:{_server.Port} {otherKey[0]} {otherKey[1]}\n");
        var options = _server.Options(_server.KeyEd25519);
        options.KnownHostsFile = tmp.Sub("known_hosts");
        await using var backend = SftpBackend.Open(BackendUrl.Parse(_server.Url("x")), _server.OpenOptions(), options);

        var error = Assert.ThrowsAsync<BackendException>(() => backend.ConnectAsync());

        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
        Assert.That(error.Message, Does.Contain("does not match"));
    }

    [Test]
    public async Task HashedKnownHostsEntriesAreAccepted()
    {
        ExternalTool.Require("ssh-keygen");
        using var tmp = new TempFolder();
        var hashed = tmp.Sub("known_hosts");
        File.Copy(_server.KnownHosts, hashed);
        (await ExternalTool.RunAsync("ssh-keygen", ["-H", "-f", hashed])).EnsureSuccess();
        Assert.That(File.ReadAllText(hashed), Does.StartWith("|1|").And.Not.Contain("127.0.0.1"));
        var options = _server.Options(_server.KeyRsa);
        options.KnownHostsFile = hashed;
        await using var backend = SftpBackend.Open(BackendUrl.Parse(_server.Url("hashed")), _server.OpenOptions(), options);

        await backend.PutAsync("f", new MemoryStream([5]));

        Assert.That(File.Exists(Path.Combine(_server.Home, "hashed", "f")), Is.True);
    }

    [Test]
    public async Task SshOptionsAndHomeDefaultsAreHonoured()
    {
        // Keys and known_hosts from the (test) HOME's ~/.ssh, port from -oPort= as duplicity's --ssh-options.
        var home = Path.Combine(_server.WorkDir, "home-defaults");
        Directory.CreateDirectory(Path.Combine(home, ".ssh"));
        File.Copy(_server.KeyEd25519, Path.Combine(home, ".ssh", "id_ed25519"), overwrite: true);
        File.Copy(_server.KnownHosts, Path.Combine(home, ".ssh", "known_hosts"), overwrite: true);
        var options = new SshBackendOptions();
        options.SshOptions.Add($"-oPort={_server.Port} -oStrictHostKeyChecking=yes");
        var open = new BackendOpenOptions { Environment = new Dictionary<string, string?> { ["HOME"] = home } };
        await using var backend = SftpBackend.Open(BackendUrl.Parse($"paramiko+sftp://{_server.User}@127.0.0.1/defaults"), open, options);

        await backend.PutAsync("f", new MemoryStream([6]));

        Assert.That(File.Exists(Path.Combine(_server.Home, "defaults", "f")), Is.True);
    }

    [Test]
    public async Task MissingRemoteFoldersAreCreatedRelativeAndAbsolute()
    {
        await using (var relative = SftpBackend.Open(BackendUrl.Parse(_server.Url("rel/a/b/c")), _server.OpenOptions(), _server.Options(_server.KeyEd25519)))
        {
            await relative.ConnectAsync();
            Assert.That(relative.RemoteFolder, Is.EqualTo("rel/a/b/c"));
        }
        Assert.That(Directory.Exists(Path.Combine(_server.Home, "rel", "a", "b", "c")), Is.True);

        var absolute = Path.Combine(_server.Home, "abs", "x", "y");
        var url = $"sftp://{_server.User}@127.0.0.1:{_server.Port}/{absolute}"; // "//tmp/..." = absolute
        await using (var backend = SftpBackend.Open(BackendUrl.Parse(url), _server.OpenOptions(), _server.Options(_server.KeyEd25519)))
        {
            await backend.PutAsync("f", new MemoryStream([7]));
            Assert.That(backend.RemoteFolder, Is.EqualTo(absolute));
        }
        Assert.That(File.Exists(Path.Combine(absolute, "f")), Is.True);
    }

    [Test]
    public async Task ARegistryOpensEverySshScheme()
    {
        var registry = new BackendRegistry().AddSsh(_server.Options(_server.KeyEd25519));
        foreach (var scheme in SshRegistration.Schemes)
        {
            var url = $"{scheme}://{_server.User}@127.0.0.1:{_server.Port}/schemes";
            await using var backend = registry.Open(url, _server.OpenOptions());
            await backend.PutAsync(scheme.Replace('+', '_'), new MemoryStream([8]));
        }
        Assert.That(Directory.GetFiles(Path.Combine(_server.Home, "schemes")).Select(Path.GetFileName),
            Is.EquivalentTo(SshRegistration.Schemes.Select(s => s.Replace('+', '_'))));
    }

    [Test]
    public async Task AServerStoppedMidUploadGivesATransientErrorAndNoFileUnderTheFinalName()
    {
        await using var server = await SshServerFixture.StartAsync("key", "dupsshdrop");
        await using var backend = SftpBackend.Open(BackendUrl.Parse(server.Url("drop")), server.OpenOptions(), server.Options(server.KeyEd25519));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new ScriptedSourceStream(new byte[16 * 1024 * 1024]) { TriggerAfter = 4 * 1024 * 1024, Gate = gate.Task };

        var put = backend.PutAsync("vol1.difftar.gz", source);
        await source.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await server.StopAsync();
        gate.SetResult();

        var error = Assert.CatchAsync<BackendException>(() => put.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Transient));
        Assert.That(error.IsTransient, Is.True);
        var folder = Path.Combine(server.Home, "drop");
        Assert.That(File.Exists(Path.Combine(folder, "vol1.difftar.gz")), Is.False);
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Has.All.EndWith(".tmp"), "only a temporary file may remain");
    }

    [Test]
    public async Task AServerStoppedMidDownloadGivesATransientError()
    {
        await using var server = await SshServerFixture.StartAsync("key", "dupsshdrop2");
        await using var backend = SftpBackend.Open(BackendUrl.Parse(server.Url("drop")), server.OpenOptions(), server.Options(server.KeyEd25519));
        await backend.PutAsync("big", new MemoryStream(new byte[32 * 1024 * 1024]));
        await using var stream = await backend.GetAsync("big");
        var buffer = new byte[1024 * 1024];
        await stream.ReadExactlyAsync(buffer);

        await server.StopAsync();

        var error = Assert.CatchAsync<BackendException>(async () =>
        {
            while (await stream.ReadAsync(buffer) > 0) { }
        });
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Transient));
    }

    [Test]
    public async Task ARetryingBackendRidesOutAServerRestart()
    {
        await using var server = await SshServerFixture.StartAsync("key", "dupsshrestart");
        var log = new RecordingLoggerFactory();
        var sftp = SftpBackend.Open(BackendUrl.Parse(server.Url("r")), server.OpenOptions(loggerFactory: log), server.Options(server.KeyEd25519));
        var clock = new Retry.ManualTimeProvider { FireAtOnce = false };
        await using var backend = new Duplicity.Backends.Retry.RetryingBackend(sftp, new Duplicity.Backends.Retry.RetryOptions { JitterRatio = 0 }, clock, log);
        await backend.PutAsync("before", new MemoryStream([1]));

        await server.StopAsync();
        var put = backend.PutAsync("after", new MemoryStream([2, 3]));
        while (clock.RequestedDelays.Count == 0)
        {
            Assert.That(put.IsCompleted, Is.False, put.Exception?.ToString());
            await Task.Delay(10);
        }
        await server.RestartAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        await put.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(File.ReadAllBytes(Path.Combine(server.Home, "r", "after")), Is.EqualTo(new byte[] { 2, 3 }));
        Assert.That(clock.RequestedDelays, Has.Count.EqualTo(1));
        Assert.That(log.EventIds, Does.Contain(DuplicityEventIds.BackendAttemptFailed).And.Contain(DuplicityEventIds.SshReconnecting));
        Assert.That(log.EventIds.Count(id => id == DuplicityEventIds.SshConnected), Is.EqualTo(2), "the first connect and the reconnect");
    }
}
