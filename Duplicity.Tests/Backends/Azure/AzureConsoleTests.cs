using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Duplicity.Tests.Backends.Azure;

/// <summary>The console over azure:// against Azurite, with duplicity's --azure-* options.</summary>
[Category("Server")]
[TestFixture]
[NonParallelizable]
public class AzureConsoleTests
{
    [Test]
    public async Task FullAndRestoreWithTierAndBlockOptions()
    {
        await using var server = await AzuriteServer.StartAsync();

        // 1 MiB single puts and 256 KiB blocks: the 2 MiB volumes go up as committed blocks.
        await ConsoleRoundTrip.BackupAndRestoreAsync("azure://console", server.Environment(),
            "--azure-blob-tier", "Cool", "--azure-max-single-put-size", "1048576", "--azure-max-block-size", "262144",
            "--azure-max-connections", "2", "--num-retries", "2", "--backend-retry-delay", "1");

        var container = server.CreateClient().GetBlobContainerClient("console");
        var blobs = new List<BlobItem>();
        await foreach (var blob in container.GetBlobsAsync()) blobs.Add(blob);
        Assert.That(blobs.Select(b => b.Name), Has.Some.Match(@"^duplicity-full\..*\.vol2\.difftar\.gz$"));
        Assert.That(blobs.Select(b => b.Properties.AccessTier), Has.All.EqualTo(AccessTier.Cool), "--azure-blob-tier");
        var volume = blobs.First(b => b.Name.EndsWith(".vol1.difftar.gz", StringComparison.Ordinal));
        var blocks = (await container.GetBlockBlobClient(volume.Name).GetBlockListAsync(BlockListTypes.Committed)).Value;
        Assert.That(blocks.CommittedBlocks.Count(), Is.EqualTo(8), "a 2 MiB volume in 256 KiB blocks (--azure-max-block-size)");
    }

    [Test]
    public async Task TheAzureOptionsAreNoLongerIgnoredAndBadValuesAreCommandLineErrors()
    {
        using var tmp = new Support.TempFolder();
        Directory.CreateDirectory(tmp.Sub("src"));

        var (code, output, err) = await ConsoleRoundTrip.RunAsync(new Dictionary<string, string?>(), "full", "--no-encryption",
            "--archive-dir", tmp.Sub("cache"), "--azure-max-connections", "0", tmp.Sub("src"), "azure://backups");

        Assert.That(code, Is.EqualTo(2), err + output);
        Assert.That(err + output, Does.Contain("--azure-max-connections").And.Not.Contain("only tunes"));
    }

    [Test]
    public async Task MissingCredentialsStopTheBackupWithDuplicitysMessage()
    {
        using var tmp = new Support.TempFolder();
        Directory.CreateDirectory(tmp.Sub("src"));

        var (code, output, err) = await ConsoleRoundTrip.RunAsync(new Dictionary<string, string?>(), "full", "--no-encryption",
            "--archive-dir", tmp.Sub("cache"), "--azure-blob-tier", "Hot", tmp.Sub("src"), "azure://backups");

        Assert.That(code, Is.Not.Zero);
        Assert.That(err + output, Does.Contain("AZURE_CONNECTION_STRING environment variable not set"));
    }
}
