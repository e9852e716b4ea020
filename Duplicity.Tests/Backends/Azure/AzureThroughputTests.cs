using System.Diagnostics;
using System.Globalization;
using Duplicity.Backends.Azure;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Azure;

/// <summary>
/// Loopback upload/download speed against Azurite, ours next to the Azure SDK for Python that duplicity's
/// azure backend calls (upload_blob / download_blob().readall(), as that backend does). Explicit: a measurement, run on demand.
/// </summary>
[Category("Server")]
[TestFixture, Explicit("measurement")]
[NonParallelizable]
public class AzureThroughputTests
{
    // The calls duplicity's azure backend makes (_put, _get), timed; sizes and concurrency as --azure-* would pass them.
    private const string ReferenceScript = """
        import os, sys, time
        from azure.storage.blob import BlobServiceClient
        path, single, block, conns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
        service = BlobServiceClient.from_connection_string(os.environ["AZURE_CONNECTION_STRING"], max_single_put_size=single, max_block_size=block)
        container = service.get_container_client("reference")
        container.create_container()
        t = time.monotonic()
        with open(path, "rb") as f:
            container.upload_blob("big", f, max_concurrency=conns)
        up = time.monotonic() - t
        t = time.monotonic()
        n = len(container.download_blob("big").readall())
        down = time.monotonic() - t
        print(f"{up:.3f} {down:.3f} {n}")
        """;

    [TestCase(200, 4, 4)]
    [TestCase(200, 8, 4)]
    public async Task UploadAndDownloadThroughputNextToTheAzureSdkForPython(int megabytes, int blockMiB, int connections)
    {
        await using var server = await AzuriteServer.StartAsync();
        var options = new AzureBackendOptions { MaxBlockSize = blockMiB * 1024L * 1024, MaxConnections = connections };
        await using var backend = server.OpenBackend("speed", options);
        var data = new byte[megabytes * 1_000_000];
        new Random(1).NextBytes(data);

        var up = Stopwatch.StartNew();
        await backend.PutAsync("big", new MemoryStream(data));
        up.Stop();
        var down = Stopwatch.StartNew();
        long total = 0;
        await using (var stream = await backend.GetAsync("big"))
        {
            var buffer = new byte[1 << 20];
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0) total += n;
        }
        down.Stop();
        Assert.That(total, Is.EqualTo(data.Length));

        using var tmp = new TempFolder();
        var file = Path.Combine(tmp.Path, "big");
        await File.WriteAllBytesAsync(file, data);
        var reference = await ExternalTool.RunAsync("/usr/bin/python3",
            ["-c", ReferenceScript, file, options.MaxSinglePutSize.ToString(CultureInfo.InvariantCulture),
             options.MaxBlockSize.ToString(CultureInfo.InvariantCulture), connections.ToString(CultureInfo.InvariantCulture)],
            server.Environment(), timeout: TimeSpan.FromMinutes(10));
        Assert.That(reference.ExitCode, Is.Zero, reference.StandardError);
        var parts = reference.StandardOutput.Trim().Split(' ');
        double refUp = double.Parse(parts[0], CultureInfo.InvariantCulture), refDown = double.Parse(parts[1], CultureInfo.InvariantCulture);
        Assert.That(long.Parse(parts[2], CultureInfo.InvariantCulture), Is.EqualTo(data.Length));

        TestContext.Out.WriteLine($"{megabytes} MB, blocks {blockMiB} MiB x{connections}: " +
            $"ours upload {megabytes / up.Elapsed.TotalSeconds:F1} MB/s, download {megabytes / down.Elapsed.TotalSeconds:F1} MB/s; " +
            $"python SDK (duplicity's calls) upload {megabytes / refUp:F1} MB/s, download {megabytes / refDown:F1} MB/s");
    }
}
