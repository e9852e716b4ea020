using System.Security.Authentication;
using Duplicity.Backends;
using Duplicity.Backends.WebDav;
using Duplicity.Diagnostics;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.WebDav;

/// <summary>The WebDAV backend against Apache mod_dav: folders, certificates, authentication, big folders, ranges, logs.</summary>
[Category("Server")]
[TestFixture]
public class WebDavBackendTests
{
    private WebDavTestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await WebDavTestServer.GetAsync();

    [Test]
    public async Task TheFirstUploadCreatesEveryMissingFolderLevel()
    {
        var top = WebDavTestServer.FreshPath();
        var log = new RecordingLoggerFactory();
        await using (var backend = _server.Open(top + "/a/b/c", open: new BackendOpenOptions { Environment = WebDavTestServer.OpenOptions().Environment, LoggerFactory = log }))
        {
            Assert.That(await backend.ListAsync().CountAsync(), Is.Zero, "a missing folder lists as empty");
            Assert.That(Directory.Exists(_server.OnDisk(top)), Is.False, "listing creates nothing");
            await backend.PutAsync("f", new MemoryStream([1, 2, 3]));
            await backend.PutAsync("g", new MemoryStream([4]));
        }

        Assert.That(File.ReadAllBytes(Path.Combine(_server.OnDisk(top), "a", "b", "c", "f")), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(log.EventIds.Count(id => id == DuplicityEventIds.WebDavFolderCreated), Is.EqualTo(4), "tX, a, b and c, each once");
        Assert.That(Directory.GetFiles(Path.Combine(_server.OnDisk(top), "a", "b", "c")).Select(Path.GetFileName), Is.EquivalentTo(new[] { "f", "g" }),
            "no temporary file is left");
    }

    [Test]
    public async Task ACertificateNotSignedByTheGivenCaIsRefused()
    {
        await using var backend = _server.Open(WebDavTestServer.FreshPath(), secure: true, new WebDavBackendOptions { CaCertificateFile = _server.OtherCaFile });

        var error = Assert.ThrowsAsync<BackendException>(async () => await backend.ListAsync().CountAsync());
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Permanent), "retrying cannot make the certificate trusted");
        Assert.That(error.Message, Does.Contain("certificate is not trusted"));
        Assert.That(Chain(error).OfType<AuthenticationException>(), Is.Not.Empty);
        var put = Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("x", new MemoryStream([1])));
        Assert.That(put!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
    }

    [Test]
    public async Task WithoutTheCaTheSystemStoreRefusesTheTestCertificate()
    {
        await using var backend = _server.Open(WebDavTestServer.FreshPath(), secure: true, new WebDavBackendOptions());

        var error = Assert.ThrowsAsync<BackendException>(async () => await backend.ListAsync().CountAsync());
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
        Assert.That(Chain(error).OfType<AuthenticationException>(), Is.Not.Empty);
    }

    [Test]
    public async Task ACaFolderIsTrustedLikeACaFile()
    {
        using var tmp = new TempFolder();
        var folder = tmp.Sub("cas");
        Directory.CreateDirectory(folder);
        File.Copy(_server.OtherCaFile, Path.Combine(folder, "a-other.pem"));
        File.Copy(_server.CaFile, Path.Combine(folder, "b-test.pem"));
        File.WriteAllText(Path.Combine(folder, "README"), "not a certificate");
        await using var backend = _server.Open(WebDavTestServer.FreshPath(), secure: true, new WebDavBackendOptions { CaCertificatePath = folder });

        await backend.PutAsync("f", new MemoryStream([9]));
        Assert.That(await backend.ListAsync().Select(f => f.Name).ToListAsync(), Is.EqualTo(new[] { "f" }));
    }

    [Test]
    public void AnUnreadableCaFileIsAConfigurationError()
    {
        var error = Assert.Throws<BackendException>(() => _server.Open("/dav/x", secure: true, new WebDavBackendOptions { CaCertificateFile = "/nonexistent/ca.pem" }));
        Assert.That(error!.Message, Does.Contain("/nonexistent/ca.pem"));
    }

    [TestCase("dav")]
    [TestCase("digest")]
    public async Task AWrongPasswordIsPermissionDeniedAndNeverShown(string area)
    {
        const string wrong = "wrong-Pa55word-xyz";
        var log = new RecordingLoggerFactory();
        await using var backend = WebDavBackend.Open(BackendUrl.Parse($"webdav://dav:{wrong}@127.0.0.1:{_server.Port}{WebDavTestServer.FreshPath(area)}"),
            new BackendOpenOptions { LoggerFactory = log, Environment = new Dictionary<string, string?>() });

        var error = Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("f", new MemoryStream([1])));
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.PermissionDenied));
        Assert.That(error.Code, Is.EqualTo(DuplicityErrorCode.BackendPermissionDenied));
        Assert.That(error.Message + backend.DisplayName + string.Join("\n", log.All), Does.Not.Contain(wrong));
    }

    [Test]
    public async Task DigestAuthenticationNeverSendsThePassword()
    {
        using var handler = new HeaderRecordingHandler("Authorization", "WWW-Authenticate");
        var log = new RecordingLoggerFactory();
        var open = new BackendOpenOptions
        {
            Environment = WebDavTestServer.OpenOptions().Environment,
            LoggerFactory = log,
            HttpMessageHandlerFactory = () => handler,
        };
        await using (var backend = _server.Open(WebDavTestServer.FreshPath("digest") + "/sub", open: open))
        {
            var data = new byte[300_000];
            new Random(3).NextBytes(data);
            await backend.PutAsync("f", new MemoryStream(data));
            await using (var stream = await backend.GetAsync("f"))
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                Assert.That(copy.ToArray(), Is.EqualTo(data));
            }
            await backend.DeleteAsync(["f"]);
            Assert.That(await backend.ListAsync().CountAsync(), Is.Zero);
        }

        var authorizations = handler.Values.Where(v => v.StartsWith("Digest username", StringComparison.Ordinal)).ToList();
        Assert.That(authorizations, Has.Count.GreaterThanOrEqualTo(5), "every request after the challenge answers it");
        Assert.That(handler.Values.Where(v => v.StartsWith("Basic", StringComparison.Ordinal)), Is.Empty);
        Assert.That(handler.Values, Has.None.Contains(WebDavTestServer.Password));
        Assert.That(log.EventIds.Count(id => id == DuplicityEventIds.WebDavAuthenticating), Is.EqualTo(1), "one challenge for the backend's life");
        Assert.That(log.All, Has.Some.Contains("Digest"));
    }

    [Test]
    public async Task ThePasswordComesFromTheUrlOrFtpPasswordAndIsNeverLogged()
    {
        var log = new RecordingLoggerFactory();
        using var handler = new HeaderRecordingHandler("Authorization");
        var path = WebDavTestServer.FreshPath();
        await using (var backend = WebDavBackend.Open(BackendUrl.Parse($"webdav://dav:{WebDavTestServer.Password}@127.0.0.1:{_server.Port}{path}"),
                         new BackendOpenOptions { LoggerFactory = log, Environment = new Dictionary<string, string?>(), HttpMessageHandlerFactory = () => handler }))
        {
            await backend.PutAsync("a", new MemoryStream([1]));
            Assert.That(backend.DisplayName, Does.Not.Contain(WebDavTestServer.Password));
        }
        await using (var backend = _server.Open(path, open: new BackendOpenOptions { LoggerFactory = log, Environment = WebDavTestServer.OpenOptions().Environment }))
            Assert.That(await backend.ListAsync().Select(f => f.Name).ToListAsync(), Is.EqualTo(new[] { "a" }));

        Assert.That(log.EventIds, Does.Contain(DuplicityEventIds.WebDavOpened).And.Contain(DuplicityEventIds.WebDavAuthenticating));
        Assert.That(log.All, Has.Some.Contains("dav"), "the user is logged");
        var secrets = handler.Values.Append(WebDavTestServer.Password).ToList();
        Assert.That(secrets, Has.Count.GreaterThanOrEqualTo(2), "the handler saw the Basic answer");
        foreach (var secret in secrets)
            Assert.That(log.All, Has.None.Contains(secret));
    }

    [Test]
    public async Task AFolderOfTwentyThousandFilesListsCompletely()
    {
        var path = WebDavTestServer.FreshPath();
        var folder = _server.OnDisk(path);
        Directory.CreateDirectory(folder);
        const int count = 20_000;
        for (var i = 0; i < count; i++)
            File.WriteAllBytes(Path.Combine(folder, $"duplicity-inc.2024{i:D6}T000000Z.to.20240102T000000Z.vol{i % 7}.difftar.gpg"), new byte[i % 5]);
        // Neither an abandoned temporary upload nor a subfolder is a file.
        File.WriteAllBytes(Path.Combine(folder, UploadTempName.Create("x")), [1]);
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        await using var backend = _server.Open(path);

        var listed = new Dictionary<string, long>();
        await foreach (var file in backend.ListAsync())
            listed.Add(file.Name, file.Size);

        Assert.That(listed, Has.Count.EqualTo(count));
        Assert.That(listed["duplicity-inc.2024000013T000000Z.to.20240102T000000Z.vol6.difftar.gpg"], Is.EqualTo(3));
    }

    [Test]
    public async Task RangedReadsStartMidFile()
    {
        await using var backend = _server.Open(WebDavTestServer.FreshPath());
        var data = new byte[1_000_000];
        new Random(4).NextBytes(data);
        await backend.PutAsync("f", new MemoryStream(data));

        Assert.That(await ReadAllAsync(await backend.GetFromAsync("f", 123_457)), Is.EqualTo(data[123_457..]));
        Assert.That(await ReadAllAsync(await backend.GetFromAsync("f", data.Length)), Is.Empty);
        Assert.That(await ReadAllAsync(await backend.GetFromAsync("f", data.Length + 10)), Is.Empty);
        var missing = Assert.ThrowsAsync<BackendException>(() => backend.GetFromAsync("nope", 5));
        Assert.That(missing!.Kind, Is.EqualTo(BackendErrorKind.NotFound));
    }

    [Test]
    public async Task ARegistryOpensEveryScheme()
    {
        var registry = new BackendRegistry().AddWebDav(new WebDavBackendOptions { CaCertificateFile = _server.CaFile });
        var path = WebDavTestServer.FreshPath();
        foreach (var url in new[]
                 {
                     $"webdav://dav@127.0.0.1:{_server.Port}{path}", $"webdavs://dav@127.0.0.1:{_server.HttpsPort}{path}",
                     $"http://dav@127.0.0.1:{_server.Port}{path}", $"https://dav@localhost:{_server.HttpsPort}/{path}//",
                 })
        {
            await using var backend = registry.Open(url, WebDavTestServer.OpenOptions());
            await backend.PutAsync(new Uri(url).Scheme, new MemoryStream([1]));
        }
        await using var check = _server.Open(path);
        Assert.That(await check.ListAsync().Select(f => f.Name).ToListAsync(), Is.EquivalentTo(new[] { "webdav", "webdavs", "http", "https" }));
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            yield return e;
    }
}

/// <summary>What is on the server's disk while an upload is in flight, and uploads across expired Digest nonces.</summary>
[Category("Server")]
[TestFixture]
public class WebDavUploadTests
{
    private WebDavTestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await WebDavTestServer.GetAsync();

    [Test]
    public async Task WhileAnUploadRunsTheFinalNameHoldsTheOldFileOrNothing()
    {
        var path = WebDavTestServer.FreshPath();
        await using var backend = _server.Open(path);
        var original = new byte[] { 7, 7, 7 };
        await backend.PutAsync("kept", new MemoryStream(original));
        var final = Path.Combine(_server.OnDisk(path), "kept");
        var fresh = Path.Combine(_server.OnDisk(path), "fresh");

        foreach (var name in new[] { "kept", "fresh" })
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var data = new byte[3 * 1024 * 1024];
            new Random(name.Length).NextBytes(data);
            var source = new ScriptedSourceStream(data) { TriggerAfter = 1024 * 1024, Gate = gate.Task };
            var put = backend.PutAsync(name, source);
            await source.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
            try
            {
                Assert.That(File.ReadAllBytes(final), Is.EqualTo(original), "the file being replaced is intact");
                Assert.That(File.Exists(fresh), Is.False, "nothing under the final name of a new file");
            }
            finally
            {
                gate.SetResult();
                await put;
            }
            Assert.That(File.ReadAllBytes(Path.Combine(_server.OnDisk(path), name)), Is.EqualTo(data));
            original = name == "kept" ? data : original;
        }
        Assert.That(Directory.GetFiles(_server.OnDisk(path)).Select(Path.GetFileName), Is.EquivalentTo(new[] { "kept", "fresh" }));
    }

    [Test]
    public async Task AnExpiredDigestNonceIsRenewedEvenForAStreamThatCannotRewind()
    {
        var log = new RecordingLoggerFactory();
        await using var backend = _server.Open(WebDavTestServer.FreshPath("stale"),
            open: new BackendOpenOptions { Environment = WebDavTestServer.OpenOptions().Environment, LoggerFactory = log });
        var data = new byte[500_000];
        new Random(8).NextBytes(data);

        await backend.PutAsync("a", new ScriptedSourceStream(data));
        await Task.Delay(TimeSpan.FromSeconds(2.5));   // the nonce lives 1 s
        await backend.PutAsync("b", new ScriptedSourceStream(data));

        Assert.That(await backend.ListAsync().Select(f => f.Size).ToListAsync(), Is.EqualTo(new long[] { data.Length, data.Length }));
        Assert.That(log.EventIds.Count(id => id == DuplicityEventIds.WebDavAuthenticating), Is.GreaterThanOrEqualTo(2), "the stale nonce was answered again");
    }
}
