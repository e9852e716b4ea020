using System.Net;
using System.Net.Sockets;
using Duplicity.Backends;
using Duplicity.Backends.Ftp;
using Duplicity.Diagnostics;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Ftp;

/// <summary>FTP specifics on vsftpd: ranged reads, certificates, logins, logs without passwords, the folder forms.</summary>
[Category("Server")]
[TestFixture]
public class FtpBackendTests
{
    [Test]
    public async Task GetFromStartsMidFileWithRest()
    {
        var server = await FtpTestServer.GetAsync("explicit");
        await using var backend = server.Open($"r{Guid.NewGuid():N}");
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        await backend.PutAsync("f", new MemoryStream(data));

        Assert.That(await ReadAsync(await backend.GetFromAsync("f", 12_345)), Is.EqualTo(data[12_345..]));
        Assert.That(await ReadAsync(await ((IBackend)backend).GetFromAsync("f", 99_999)), Is.EqualTo(data[99_999..]));
        Assert.That(await ReadAsync(await backend.GetFromAsync("f", 100_000)), Is.Empty);
        Assert.That(await ReadAsync(await backend.GetFromAsync("f", 500_000)), Is.Empty);
        var missing = Assert.ThrowsAsync<BackendException>(() => backend.GetFromAsync("nope", 10));
        Assert.That(missing!.Kind, Is.EqualTo(BackendErrorKind.NotFound));
    }

    [Test]
    public async Task AnUploadIsRenamedIntoPlaceAndNoTemporaryFileStays()
    {
        var server = await FtpTestServer.GetAsync("plain");
        var folder = $"t{Guid.NewGuid():N}/deep/er";
        await using var backend = server.Open(folder);
        await backend.PutAsync("vol1", new MemoryStream(new byte[300_000]));
        await backend.PutAsync("vol1", new MemoryStream(new byte[10]));

        var onDisk = Directory.GetFiles(Path.Combine(server.Home, folder)).Select(Path.GetFileName).ToArray();
        Assert.That(onDisk, Is.EqualTo(new[] { "vol1" }), "every level was created and only the final name is left");
        Assert.That(new FileInfo(Path.Combine(server.Home, folder, "vol1")).Length, Is.EqualTo(10));
    }

    [Test]
    public async Task AnAbsoluteFolderStartsWithTwoSlashes()
    {
        var server = await FtpTestServer.GetAsync("plain");
        var folder = Path.Combine(server.Home, $"abs{Guid.NewGuid():N}");
        await using var backend = FtpBackend.Open(BackendUrl.Parse($"ftp://{server.User}@127.0.0.1:{server.Port}/{folder}"),
            FtpTestServer.OpenOptions(), server.Options());
        await backend.PutAsync("x", new MemoryStream([1, 2, 3]));
        Assert.That(File.ReadAllBytes(Path.Combine(folder, "x")), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public async Task ACertificateNoTrustedAuthoritySignedIsRefused()
    {
        var explicitServer = await FtpTestServer.GetAsync("explicit");
        var other = await FtpTestServer.GetAsync("implicit");
        // The system store does not know the throw-away certificate, and another throw-away CA did not sign it.
        foreach (var options in new[] { new FtpBackendOptions(), new FtpBackendOptions { CaCertificateFile = other.CaFile } })
        {
            await using var backend = explicitServer.Open($"c{Guid.NewGuid():N}", options);
            var error = Assert.ThrowsAsync<BackendException>(async () => await backend.ListAsync().CountAsync());
            Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Permanent), error.Message);
            Assert.That(error.Message, Does.Contain("TLS"));
        }
        // --ssl-no-check-certificate accepts it.
        await using var unchecked_ = explicitServer.Open($"c{Guid.NewGuid():N}", new FtpBackendOptions { SkipCertificateCheck = true });
        Assert.That(await unchecked_.ListAsync().CountAsync(), Is.Zero);
    }

    [Test]
    public async Task AWrongPasswordIsPermissionDeniedAndNeverShown()
    {
        var server = await FtpTestServer.GetAsync("explicit");
        const string wrong = "wrong-Passw0rd-xyz";
        var log = new RecordingLoggerFactory();
        await using var backend = FtpBackend.Open(BackendUrl.Parse($"ftpes://{server.User}:{wrong}@127.0.0.1:{server.Port}/w"),
            new BackendOpenOptions { LoggerFactory = log, Environment = new Dictionary<string, string?>() }, server.Options());
        var error = Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("x", new MemoryStream([1])));
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.PermissionDenied));
        Assert.That(error.Code, Is.EqualTo(DuplicityErrorCode.BackendPermissionDenied));
        Assert.That(error.ToString() + backend.DisplayName + string.Join("\n", log.All), Does.Not.Contain(wrong));
    }

    [Test]
    public async Task ConnectsAndFoldersAreLoggedWithoutThePassword()
    {
        var server = await FtpTestServer.GetAsync("implicit");
        var log = new RecordingLoggerFactory();
        await using (var backend = server.Open($"l{Guid.NewGuid():N}/a", logging: log))
        {
            await backend.PutAsync("x", new MemoryStream(new byte[1000]));
            await using (var s = await backend.GetAsync("x")) await ReadAsync(s);
            await backend.DeleteAsync(["x"]);
        }
        Assert.That(log.EventIds, Is.SupersetOf(new[] { DuplicityEventIds.FtpConnecting, DuplicityEventIds.FtpConnected, DuplicityEventIds.FtpFolderCreated }));
        Assert.That(log.All, Has.Some.Contains(server.User));
        Assert.That(log.All, Has.Some.Contains("Tls"), "the TLS protocol of the control connection");
        Assert.That(log.All, Has.None.Contains(FtpTestServer.Password));
    }

    [Test]
    public async Task AServerThatNeverAnswersTimesOutAsTransient()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = silent.AcceptSocketAsync();
        await using var backend = FtpBackend.Open(BackendUrl.Parse($"ftp://u@127.0.0.1:{port}/x"),
            new BackendOpenOptions { Environment = new Dictionary<string, string?> { ["FTP_PASSWORD"] = "p" } },
            new FtpBackendOptions { Timeout = TimeSpan.FromSeconds(1) });
        var started = DateTime.UtcNow;
        var error = Assert.ThrowsAsync<BackendException>(async () => await backend.ListAsync().CountAsync());
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Transient));
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(10)));
        using var socket = await accepted;
        // The client closed its socket: the server side reads the end of the stream.
        var buffer = new byte[16];
        Assert.That(await socket.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(5)), Is.Zero);
    }

    private static async Task<byte[]> ReadAsync(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }
}
