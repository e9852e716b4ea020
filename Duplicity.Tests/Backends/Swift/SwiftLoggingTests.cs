using Duplicity.Backends;
using Duplicity.Backends.Swift;
using Duplicity.Diagnostics;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Swift;

/// <summary>What the Swift backend logs through the factory it is given, over the host's HTTP handler, and what it never logs.</summary>
[Category("Server")]
[TestFixture]
public class SwiftLoggingTests
{
    private const int KiB = 1024;
    private SwiftTestServers _servers = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync() => _servers = await SwiftTestServers.GetAsync();

    [Test]
    public async Task LoginsSegmentedUploadsAndRenewalsAreLoggedWithoutPasswordOrTokens()
    {
        var log = new RecordingLoggerFactory();
        using var handler = new HeaderRecordingHandler("X-Auth-Token", "X-Subject-Token");
        var handlersMade = 0;
        var env = _servers.V3Environment();
        var open = new BackendOpenOptions
        {
            Environment = env,
            LoggerFactory = log,
            HttpMessageHandlerFactory = () => { handlersMade++; return handler; },
        };
        var container = "t" + Guid.NewGuid().ToString("N");

        await using (var backend = SwiftBackend.Open(BackendUrl.Parse($"swift://{container}/p"), open, new SwiftBackendOptions { SegmentSize = 256 * KiB }))
        {
            await backend.PutAsync("big", new MemoryStream(new byte[600 * KiB]));
            backend.ReplaceTokenForTests("gAAAAA-revoked-token");
            await backend.PutAsync("small", new MemoryStream([1, 2, 3]));
            Assert.That(await backend.ListAsync().CountAsync(), Is.EqualTo(2));
            await backend.DeleteAsync(["big", "small"]);
        }

        Assert.That(handlersMade, Is.EqualTo(1), "one HttpClient for the backend's life, over the host's handler");
        Assert.That(handler.Requests, Is.GreaterThan(5));
        Assert.That(log.EventIds, Is.SupersetOf(new[]
        {
            DuplicityEventIds.SwiftAuthenticating, DuplicityEventIds.SwiftAuthenticated, DuplicityEventIds.SwiftContainerCreated,
            DuplicityEventIds.SwiftLargeObjectStarted, DuplicityEventIds.SwiftLargeObjectCompleted, DuplicityEventIds.SwiftTokenRefused,
        }));
        Assert.That(log.EventIds.Count(id => id == DuplicityEventIds.SwiftAuthenticated), Is.EqualTo(2), "the first login and the renewal");
        Assert.That(log.All, Has.Some.Contains(env["SWIFT_USERNAME"]!), "the user is logged, to tell logins apart");
        var secrets = handler.Values.Append(env["SWIFT_PASSWORD"]!).Append("gAAAAA-revoked-token").ToList();
        Assert.That(secrets, Has.Count.GreaterThanOrEqualTo(3), "the handler saw the tokens");
        foreach (var secret in secrets)
            Assert.That(log.All, Has.None.Contains(secret));
    }
}
