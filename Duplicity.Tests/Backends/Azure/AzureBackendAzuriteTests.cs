using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Duplicity.Backends;
using Duplicity.Backends.Azure;
using Duplicity.Diagnostics;

namespace Duplicity.Tests.Backends.Azure;

/// <summary>What the Azure backend does beyond the shared contract, against Azurite: paths, tiers, ranges, credentials, logs.</summary>
[Category("Server")]
[TestFixture]
[NonParallelizable]
public class AzureBackendAzuriteTests
{
    private const int MiB = 1024 * 1024;
    private AzuriteServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await AzuriteServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server != null) await _server.DisposeAsync();
    }

    [Test]
    public async Task BlockUploadsAreCommittedInOneStepAndLoggedWithoutKeysOrSignatures()
    {
        var log = new Support.RecordingLoggerFactory();
        using var handler = new Support.HeaderRecordingHandler("Authorization");
        var container = AzuriteServer.NewContainerName();
        var open = new BackendOpenOptions { Environment = _server.Environment(), LoggerFactory = log, HttpMessageHandlerFactory = () => handler };
        var data = RandomBytes(3 * MiB + 5, seed: 1);
        await using (var backend = AzureBackend.Open(BackendUrl.Parse($"azure://{container}"), open,
            new AzureBackendOptions { MaxSinglePutSize = MiB, MaxBlockSize = MiB, MaxConnections = 2 }))
        {
            await backend.PutAsync("big.difftar.gz", new MemoryStream(data));
            Assert.That(await ReadAllAsync(backend, "big.difftar.gz"), Is.EqualTo(data));
        }

        var blocks = (await _server.CreateClient().GetBlobContainerClient(container).GetBlockBlobClient("big.difftar.gz")
            .GetBlockListAsync(BlockListTypes.All)).Value;
        Assert.That(blocks.CommittedBlocks.Count(), Is.EqualTo(4), "3 x 1 MiB + tail");
        Assert.That(blocks.UncommittedBlocks, Is.Empty);
        Assert.That(log.EventIds, Is.EqualTo(new[]
        {
            DuplicityEventIds.AzureClientCreated, DuplicityEventIds.AzureContainerCreated,
            DuplicityEventIds.AzureBlockUploadStarted, DuplicityEventIds.AzureBlockUploadCommitted,
        }));
        Assert.That(log.All[0], Does.Contain(_server.BlobEndpoint).And.Contain(container).And.Contain("connection string"));
        Assert.That(log.All[3], Does.Contain("4 blocks"));
        Assert.That(handler.Requests, Is.GreaterThanOrEqualTo(6), "create, 4 blocks, commit: all through the host's handler");
        Assert.That(handler.Values, Is.Not.Empty, "the requests were signed");
        foreach (var secret in handler.Values.Append(AzuriteServer.AccountKey).Append(_server.ConnectionString))
            Assert.That(log.All, Has.None.Contains(secret));
    }

    [Test]
    public async Task AFailedBlockUploadLeavesOnlyUncommittedBlocksBehindTheOldBlob()
    {
        var container = AzuriteServer.NewContainerName();
        // One connection: each block is staged before the next is read, so the ones before the failure surely landed.
        await using var backend = _server.OpenBackend(container, new AzureBackendOptions { MaxSinglePutSize = MiB, MaxBlockSize = MiB, MaxConnections = 1 });
        var original = RandomBytes(1000, seed: 2);
        await backend.PutAsync("vol", new MemoryStream(original));
        var failure = new IOException("disk gone");
        var source = new ScriptedSourceStream(RandomBytes(6 * MiB, seed: 3)) { TriggerAfter = 4 * MiB, Failure = failure };

        var thrown = Assert.CatchAsync(() => backend.PutAsync("vol", source));

        Assert.That(thrown, Is.SameAs(failure), "the source's own error, not a backend error");
        var blocks = (await _server.CreateClient().GetBlobContainerClient(container).GetBlockBlobClient("vol")
            .GetBlockListAsync(BlockListTypes.All)).Value;
        Assert.That(blocks.UncommittedBlocks.Count(), Is.GreaterThanOrEqualTo(2), "blocks were staged ...");
        Assert.That(await ReadAllAsync(backend, "vol"), Is.EqualTo(original), "... but never committed");
    }

    [Test]
    public async Task ASourceOfExactlyTheSinglePutSizeIsOneRequestAndOneByteMoreIsBlocks()
    {
        var log = new Support.RecordingLoggerFactory();
        var open = new BackendOpenOptions { Environment = _server.Environment(), LoggerFactory = log };
        await using var backend = AzureBackend.Open(BackendUrl.Parse($"azure://{AzuriteServer.NewContainerName()}"), open,
            new AzureBackendOptions { MaxSinglePutSize = MiB, MaxBlockSize = 300_000 });
        var exact = RandomBytes(MiB, seed: 4);
        var more = RandomBytes(MiB + 1, seed: 5);

        await backend.PutAsync("exact", new ScriptedSourceStream(exact));
        Assert.That(log.EventIds, Has.No.Member(DuplicityEventIds.AzureBlockUploadStarted));
        await backend.PutAsync("more", new ScriptedSourceStream(more));

        Assert.That(log.EventIds, Has.Member(DuplicityEventIds.AzureBlockUploadStarted));
        Assert.That(log.All[^1], Does.Contain("5 blocks"), "4 x 300,000 bytes hold the first MiB; the read-ahead byte is the fifth");
        Assert.That(await ReadAllAsync(backend, "exact"), Is.EqualTo(exact));
        Assert.That(await ReadAllAsync(backend, "more"), Is.EqualTo(more));
    }

    [TestCase(2 * MiB)]   // one request
    [TestCase(5 * MiB)]   // blocks
    public async Task TheBlobTierIsSetOnEveryUpload(int size)
    {
        var container = AzuriteServer.NewContainerName();
        await using var backend = _server.OpenBackend(container, new AzureBackendOptions { BlobTier = AccessTier.Cool, MaxSinglePutSize = 4 * MiB });
        await backend.PutAsync("f", new MemoryStream(RandomBytes(size, seed: 6)));

        var properties = await _server.CreateClient().GetBlobContainerClient(container).GetBlobClient("f").GetPropertiesAsync();
        Assert.That(properties.Value.AccessTier, Is.EqualTo(AccessTier.Cool.ToString()));
    }

    [Test]
    public async Task RangedReadsStartAtTheOffsetAndEndEmpty()
    {
        await using var backend = _server.OpenBackend(AzuriteServer.NewContainerName());
        var data = RandomBytes(100_000, seed: 7);
        await backend.PutAsync("f", new MemoryStream(data));

        foreach (var offset in new[] { 0, 1, 65_536, 99_999 })
        {
            await using var stream = await backend.GetFromAsync("f", offset);
            Assert.That(stream.Length, Is.EqualTo(data.Length - offset), "the remaining length, as a resumed download checks it");
            Assert.That(await ReadToEndAsync(stream), Is.EqualTo(data[offset..]), $"offset {offset}");
        }
        foreach (var offset in new[] { 100_000, 200_000 })
        {
            await using var stream = await backend.GetFromAsync("f", offset);
            Assert.That(await ReadToEndAsync(stream), Is.Empty);
        }
        var error = Assert.ThrowsAsync<BackendException>(() => backend.GetFromAsync("missing", 10));
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.NotFound));
    }

    [Test]
    public async Task AMissingContainerListsEmptyIsNotFoundForReadsAndIsCreatedByTheFirstUpload()
    {
        var container = AzuriteServer.NewContainerName();
        await using var backend = _server.OpenBackend(container);
        Assert.That(await ListAsync(backend), Is.Empty);
        var error = Assert.ThrowsAsync<BackendException>(() => backend.GetAsync("f"));
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.NotFound));
        await backend.DeleteAsync(["f"]);

        await backend.PutAsync("f", new MemoryStream([1, 2, 3]));
        Assert.That((await _server.CreateClient().GetBlobContainerClient(container).ExistsAsync()).Value, Is.True);
        Assert.That(await ListAsync(backend), Is.EqualTo(new Dictionary<string, long> { ["f"] = 3 }));
    }

    [Test]
    public async Task BlobsInFoldersAreNotFilesOfTheBackend()
    {
        var container = AzuriteServer.NewContainerName();
        await using var backend = _server.OpenBackend(container);
        await backend.PutAsync("top", new MemoryStream([1]));
        await _server.CreateClient().GetBlobContainerClient(container).UploadBlobAsync("dir/inner", new BinaryData(new byte[] { 2 }));

        Assert.That(await ListAsync(backend), Is.EqualTo(new Dictionary<string, long> { ["top"] = 1 }));
    }

    [Test]
    public async Task AccountNameWithKeyOrSharedAccessSignatureWorkLikeTheConnectionString()
    {
        var container = AzuriteServer.NewContainerName();
        var options = new AzureBackendOptions { BlobEndpoint = new Uri(_server.BlobEndpoint) };
        var keyEnvironment = new Dictionary<string, string?> { ["AZURE_ACCOUNT_NAME"] = AzuriteServer.AccountName, ["AZURE_ACCOUNT_KEY"] = AzuriteServer.AccountKey };
        await using (var backend = AzureBackend.Open(BackendUrl.Parse($"azure://{container}"), new BackendOpenOptions { Environment = keyEnvironment }, options))
            await backend.PutAsync("by-key", new MemoryStream([1]));

        var sasUri = _server.CreateClient().GenerateAccountSasUri(AccountSasPermissions.All, DateTimeOffset.UtcNow.AddHours(1), AccountSasResourceTypes.All);
        var log = new Support.RecordingLoggerFactory();
        var sasEnvironment = new Dictionary<string, string?> { ["AZURE_ACCOUNT_NAME"] = AzuriteServer.AccountName, ["AZURE_SHARED_ACCESS_SIGNATURE"] = sasUri.Query };
        await using (var backend = AzureBackend.Open(BackendUrl.Parse($"azure://{container}"), new BackendOpenOptions { Environment = sasEnvironment, LoggerFactory = log }, options))
        {
            await backend.PutAsync("by-sas", new MemoryStream([2, 2]));
            Assert.That(await ListAsync(backend), Is.EqualTo(new Dictionary<string, long> { ["by-key"] = 1, ["by-sas"] = 2 }));
        }
        var signature = System.Web.HttpUtility.ParseQueryString(sasUri.Query)["sig"]!;
        Assert.That(log.All, Has.None.Contains(signature).And.None.Contains(sasUri.Query));
        Assert.That(log.All[0], Does.Contain("shared access signature"));
    }

    [Test]
    public async Task AWrongKeyIsPermissionDeniedWithoutTheKey()
    {
        var wrongKey = Convert.ToBase64String(RandomBytes(64, seed: 8));
        var environment = new Dictionary<string, string?>
        {
            ["AZURE_CONNECTION_STRING"] = _server.ConnectionString.Replace(AzuriteServer.AccountKey, wrongKey, StringComparison.Ordinal),
        };
        await using var backend = AzureBackend.Open(BackendUrl.Parse("azure://denied"), new BackendOpenOptions { Environment = environment },
            new AzureBackendOptions { MaxRetries = 0 });

        var error = Assert.ThrowsAsync<BackendException>(() => backend.PutAsync("f", new MemoryStream([1])));

        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.PermissionDenied), error.Message);
        Assert.That(error.Message, Does.Not.Contain(wrongKey).And.Not.Contain(AzuriteServer.AccountKey));
    }

    [Test]
    public void AnUnreachableServerIsTransient()
    {
        var environment = new Dictionary<string, string?>
        {
            ["AZURE_CONNECTION_STRING"] = _server.ConnectionString.Replace($":{_server.Port}/", ":1/", StringComparison.Ordinal),
        };
        var backend = AzureBackend.Open(BackendUrl.Parse("azure://gone"), new BackendOpenOptions { Environment = environment },
            new AzureBackendOptions { MaxRetries = 0, Timeout = TimeSpan.FromSeconds(5) });

        var error = Assert.ThrowsAsync<BackendException>(async () => await ListAsync(backend));

        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Transient), error.Message);
        Assert.That(error.Message, Does.Not.Contain(AzuriteServer.AccountKey));
    }

    private static async Task<Dictionary<string, long>> ListAsync(AzureBackend backend)
    {
        var result = new Dictionary<string, long>();
        await foreach (var f in backend.ListAsync()) result.Add(f.Name, f.Size);
        return result;
    }

    private static async Task<byte[]> ReadAllAsync(AzureBackend backend, string name)
    {
        await using var stream = await backend.GetAsync(name);
        return await ReadToEndAsync(stream);
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static byte[] RandomBytes(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }
}
