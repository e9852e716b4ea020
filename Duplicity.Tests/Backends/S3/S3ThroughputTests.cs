using System.Diagnostics;
using Duplicity.Backends.S3;

namespace Duplicity.Tests.Backends.S3;

/// <summary>Loopback upload/download speed against s3rver (explicit: a measurement, run on demand).</summary>
[Category("Server")]
[TestFixture, Explicit("measurement")]
[NonParallelizable]
public class S3ThroughputTests
{
    [TestCase(200, 25)]
    [TestCase(200, 8)]
    public async Task UploadAndDownloadThroughput(int megabytes, int chunkMiB)
    {
        await using var server = await S3rverServer.StartAsync("speed");
        var options = server.Options(chunkSize: chunkMiB * 1024L * 1024);
        await using var backend = server.OpenBackend("speed", "p", options);
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
        TestContext.Out.WriteLine($"{megabytes} MB, chunk {chunkMiB} MiB x{options.MultipartMaxConcurrency}: " +
            $"upload {up.Elapsed.TotalSeconds:F2} s = {megabytes / up.Elapsed.TotalSeconds:F1} MB/s, " +
            $"download {down.Elapsed.TotalSeconds:F2} s = {megabytes / down.Elapsed.TotalSeconds:F1} MB/s");
    }
}
