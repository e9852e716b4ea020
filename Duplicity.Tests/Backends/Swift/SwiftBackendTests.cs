using System.Net;
using Duplicity.Backends;
using Duplicity.Backends.Swift;

namespace Duplicity.Tests.Backends.Swift;

/// <summary>Swift-specific behaviour: large objects, paging, token renewal, auth failures, containers, broken connections.</summary>
[Category("Server")]
[TestFixture]
public class SwiftBackendTests
{
    private const int KiB = 1024;
    private SwiftTestServers _servers = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync() => _servers = await SwiftTestServers.GetAsync();

    private static string NewContainer() => "t" + Guid.NewGuid().ToString("N");

    private static SwiftBackend Open(string url, Dictionary<string, string?> env, SwiftBackendOptions? options = null) =>
        SwiftBackend.Open(BackendUrl.Parse(url), new BackendOpenOptions { Environment = env }, options);

    [TestCase(true)]
    [TestCase(false)]
    public async Task LargeFilesBecomeStaticLargeObjectsWhoseSegmentsGoAwayOnDelete(bool seekable)
    {
        var container = NewContainer();
        await using var backend = Open($"swift://{container}/p", _servers.V1Environment(), new SwiftBackendOptions { SegmentSize = 256 * KiB });
        var data = RandomBytes(1024 * KiB + 5, seed: 1);
        await backend.PutAsync("big.difftar.gz", seekable ? new MemoryStream(data) : new ScriptedSourceStream(data));
        await backend.PutAsync("small", new MemoryStream(RandomBytes(256 * KiB, seed: 2)));

        using var account = await SwiftAccount.LoginV1Async(_servers);
        var segments = await account.ListAsync(container + "_segments");
        Assert.That(segments, Has.Count.EqualTo(5), "4 full segments of 256 KiB and a 5-byte tail");
        Assert.That(segments, Is.All.StartsWith("p/big.difftar.gz/slo/"));
        using (var head = await account.SendAsync(HttpMethod.Head, container + "/p/big.difftar.gz"))
        {
            Assert.That(head.Headers.GetValues("X-Static-Large-Object").Single(), Is.EqualTo("True"));
            Assert.That(head.Content.Headers.ContentLength, Is.EqualTo(data.Length));
        }
        using (var head = await account.SendAsync(HttpMethod.Head, container + "/p/small"))
            Assert.That(head.Headers.Contains("X-Static-Large-Object"), Is.False, "a file of exactly the segment size is one object");

        var listed = new Dictionary<string, long>();
        await foreach (var file in backend.ListAsync())
            listed.Add(file.Name, file.Size);
        Assert.That(listed, Is.EquivalentTo(new Dictionary<string, long> { ["big.difftar.gz"] = data.Length, ["small"] = 256 * KiB }));
        await using (var stream = await backend.GetAsync("big.difftar.gz"))
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.That(copy.ToArray(), Is.EqualTo(data));
        }

        await backend.DeleteAsync(["big.difftar.gz", "small"]);
        Assert.That(await account.ListAsync(container + "_segments"), Is.Empty);
        Assert.That(await account.ListAsync(container), Is.Empty);
    }

    [Test]
    public async Task AFailedLargeUploadDeletesItsSegments()
    {
        var container = NewContainer();
        await using var backend = Open($"swift://{container}", _servers.V1Environment(), new SwiftBackendOptions { SegmentSize = 256 * KiB });
        var failure = new IOException("source broke");
        var source = new ScriptedSourceStream(RandomBytes(2048 * KiB, seed: 3)) { TriggerAfter = 900 * KiB, Failure = failure };

        var thrown = Assert.CatchAsync(() => backend.PutAsync("vol.difftar", source));

        Assert.That(thrown, Is.SameAs(failure));
        using var account = await SwiftAccount.LoginV1Async(_servers);
        Assert.That(await account.ListAsync(container + "_segments"), Is.Empty);
        Assert.That(await account.ListAsync(container), Is.Empty);
    }

    [Test]
    public async Task ListingPagesThroughManyObjectsAndSkipsDeeperNames()
    {
        var container = NewContainer();
        var env = _servers.V1Environment();
        await using var backend = SwiftBackend.Open(BackendUrl.Parse($"swift://{container}//a/b/"), new BackendOpenOptions { Environment = env });
        backend.ListPageSize = 3;
        var names = Enumerable.Range(0, 11).Select(i => $"f{i:D2}").ToArray();
        foreach (var name in names)
            await backend.PutAsync(name, new MemoryStream([1, 2]));
        // Objects of a deeper "folder" and outside the prefix are not files of this backend.
        await using (var outer = Open($"swift://{container}/a/b/c", env))
            await outer.PutAsync("deeper", new MemoryStream([1]));
        await using (var outside = Open($"swift://{container}/a", env))
            await outside.PutAsync("b-sibling", new MemoryStream([1]));

        var listed = new List<string>();
        await foreach (var file in backend.ListAsync())
            listed.Add(file.Name);

        Assert.That(listed, Is.EqualTo(names));
    }

    [Test]
    public async Task ARefusedTokenIsRenewedOnceAndTheRequestRetried()
    {
        var container = NewContainer();
        var env = _servers.V3Environment();
        // An expired pre-authenticated token plus credentials: the first request gets 401, the backend logs in.
        env["SWIFT_PREAUTHURL"] = _servers.KeystoneStorageUrl;
        env["SWIFT_PREAUTHTOKEN"] = "gAAAAA-expired-token";
        await using var backend = Open($"swift://{container}", env);
        var data = RandomBytes(300 * KiB, seed: 4);
        await backend.PutAsync("a", new ScriptedSourceStream(data));

        // Then the token "expires" again in the middle of the session, before a streamed, non-seekable upload.
        backend.ReplaceTokenForTests("gAAAAA-revoked-token");
        await backend.PutAsync("b", new ScriptedSourceStream(data));
        backend.ReplaceTokenForTests("gAAAAA-revoked-again");
        var listed = new List<string>();
        await foreach (var file in backend.ListAsync())
            listed.Add(file.Name);

        Assert.That(listed, Is.EquivalentTo(new[] { "a", "b" }));
        backend.ReplaceTokenForTests("gAAAAA-revoked-once-more");
        await using var stream = await backend.GetAsync("b");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.That(copy.ToArray(), Is.EqualTo(data));
    }

    [Test]
    public async Task TempAuthTokenIsRenewedToo()
    {
        await using var backend = Open($"swift://{NewContainer()}", _servers.V1Environment());
        await backend.PutAsync("x", new MemoryStream([1]));
        backend.ReplaceTokenForTests("AUTH_tk-not-a-token");
        await backend.DeleteAsync(["x"]);
        backend.ReplaceTokenForTests("AUTH_tk-not-a-token");
        await backend.PutAsync("y", new MemoryStream([2]));
        var listed = new List<string>();
        await foreach (var file in backend.ListAsync())
            listed.Add(file.Name);
        Assert.That(listed, Is.EqualTo(new[] { "y" }));
    }

    [TestCase("3")]
    [TestCase("1")]
    public async Task AWrongPasswordIsPermissionDeniedWithoutTheSecret(string version)
    {
        var env = version == "3" ? _servers.V3Environment() : _servers.V1Environment();
        env["SWIFT_PASSWORD"] = "Wr0ng-Secret-Pa55";
        await using var backend = Open($"swift://{NewContainer()}", env);

        var error = Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("x", new MemoryStream([1])));

        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.PermissionDenied));
        Assert.That(error.Code, Is.EqualTo(DuplicityErrorCode.BackendPermissionDenied));
        Assert.That(error.ToString(), Does.Not.Contain("Wr0ng-Secret-Pa55"));
    }

    [Test]
    public async Task APreAuthenticatedTokenAloneThatIsRefusedIsPermissionDenied()
    {
        var env = new Dictionary<string, string?>
        {
            ["SWIFT_PREAUTHURL"] = _servers.V1StorageUrl,
            ["SWIFT_PREAUTHTOKEN"] = "AUTH_tk-secret-token-value",
        };
        await using var backend = Open($"swift://{NewContainer()}", env);

        var error = Assert.ThrowsAsync<BackendException>(async () => { await foreach (var _ in backend.ListAsync()) { } });

        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.PermissionDenied));
        Assert.That(error.ToString(), Does.Not.Contain("secret-token-value"));
    }

    [Test]
    public async Task APreAuthenticatedTokenWorksWithoutCredentials()
    {
        using var account = await SwiftAccount.LoginV1Async(_servers);
        var env = new Dictionary<string, string?> { ["SWIFT_PREAUTHURL"] = account.StorageUrl, ["SWIFT_PREAUTHTOKEN"] = account.Token };
        await using var backend = Open($"swift://{NewContainer()}", env);
        await backend.PutAsync("x", new MemoryStream([7]));
        await using var stream = await backend.GetAsync("x");
        Assert.That(stream.ReadByte(), Is.EqualTo(7));
    }

    [Test]
    public async Task AUserOfAnotherDomainAuthenticatesByDomainName()
    {
        var env = _servers.V3Environment();
        env["SWIFT_USERNAME"] = _servers.Keystone["KEYSTONE_DOMAIN_USER"];
        env["SWIFT_PASSWORD"] = _servers.Keystone["KEYSTONE_DOMAIN_PASSWORD"];
        env.Remove("SWIFT_TENANTNAME");
        env["SWIFT_PROJECT_NAME"] = _servers.Keystone["KEYSTONE_DOMAIN_PROJECT"];
        env["SWIFT_USER_DOMAIN_NAME"] = env["SWIFT_PROJECT_DOMAIN_NAME"] = _servers.Keystone["KEYSTONE_DOMAIN_NAME"];
        await using var backend = Open($"swift://{NewContainer()}", env);
        await backend.PutAsync("x", new MemoryStream([1]));
        Assert.That(await CountAsync(backend), Is.EqualTo(1));
    }

    [Test]
    public async Task AnUnknownRegionIsAPermanentError()
    {
        var env = _servers.V3Environment();
        env["SWIFT_REGIONNAME"] = "NoSuchRegion";
        await using var backend = Open($"swift://{NewContainer()}", env);
        var error = Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("x", new MemoryStream([1])));
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
        Assert.That(error.Message, Does.Contain("NoSuchRegion"));
    }

    [Test]
    public async Task AMissingContainerIsCreatedWithTheStoragePolicy()
    {
        var container = NewContainer();
        await using var backend = Open($"swift://{container}", _servers.V1Environment(), new SwiftBackendOptions { StoragePolicy = "Policy-0" });
        Assert.That(await CountAsync(backend), Is.Zero, "listing a missing container is empty, not an error");

        await backend.PutAsync("x", new MemoryStream([1]));

        using var account = await SwiftAccount.LoginV1Async(_servers);
        using var head = await account.SendAsync(HttpMethod.Head, container);
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(head.Headers.GetValues("X-Storage-Policy").Single(), Is.EqualTo("Policy-0"));
    }

    [Test]
    public async Task AnUnknownStoragePolicyIsAPermanentError()
    {
        await using var backend = Open($"swift://{NewContainer()}", _servers.V1Environment(), new SwiftBackendOptions { StoragePolicy = "gold" });
        var error = Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("x", new MemoryStream([1])));
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
    }

    [Test]
    public async Task AServerThatVanishesMidUploadGivesATransientErrorAndNoObject()
    {
        using var account = await SwiftAccount.LoginV1Async(_servers);
        var proxyPort = new Uri(_servers.ProxyUrl).Port;
        using var relay = new LoopbackRelay(proxyPort);
        var container = NewContainer();
        var storage = account.StorageUrl.Replace($":{proxyPort}/", $":{relay.Port}/");
        var env = new Dictionary<string, string?> { ["SWIFT_PREAUTHURL"] = storage, ["SWIFT_PREAUTHTOKEN"] = account.Token };
        await using var backend = Open($"swift://{container}", env);
        await backend.PutAsync("first", new MemoryStream([1]));
        var source = new ScriptedSourceStream(RandomBytes(8 * 1024 * KiB, seed: 5)) { TriggerAfter = 2 * 1024 * KiB, OnTrigger = relay.Sever };

        var error = Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("vol.difftar", source));

        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Transient));
        Assert.That(error.ToString(), Does.Not.Contain(account.Token));
        Assert.That(await account.ListAsync(container), Is.EqualTo(new[] { "first" }));
        var later = Assert.CatchAsync<BackendException>(async () => { await foreach (var _ in backend.ListAsync()) { } });
        Assert.That(later!.Kind, Is.EqualTo(BackendErrorKind.Transient), "a refused connection is transient");
    }

    [Test]
    public void MissingVariablesAreReportedAsDuplicityDoes()
    {
        var error = Assert.Throws<BackendException>(() => Open("swift://c", new Dictionary<string, string?> { ["SWIFT_USERNAME"] = "u", ["SWIFT_AUTHURL"] = "http://x" }));
        Assert.That(error!.Message, Is.EqualTo("SWIFT_PASSWORD environment variable not set."));
        var noContainer = Assert.Throws<BackendException>(() => Open("swift:///", _servers.V1Environment()));
        Assert.That(noContainer!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
    }

    [Test]
    public void TheRegistryOpensSwiftUrls()
    {
        var registry = new BackendRegistry().AddSwift(new SwiftBackendOptions { SegmentSize = 5 });
        var backend = (SwiftBackend)registry.Open("swift://cont//x/y/", new BackendOpenOptions { Environment = _servers.V1Environment() });
        Assert.That(backend.Container, Is.EqualTo("cont"));
        Assert.That(backend.Prefix, Is.EqualTo("x/y/"));
        Assert.That(backend.SegmentContainer, Is.EqualTo("cont_segments"));
    }

    private static async Task<int> CountAsync(SwiftBackend backend)
    {
        var count = 0;
        await foreach (var _ in backend.ListAsync())
            count++;
        return count;
    }

    private static byte[] RandomBytes(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }
}
