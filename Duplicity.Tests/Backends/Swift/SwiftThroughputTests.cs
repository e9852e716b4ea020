using System.Diagnostics;
using Duplicity.Backends;
using Duplicity.Backends.Swift;

namespace Duplicity.Tests.Backends.Swift;

/// <summary>Upload/download speed of one 200 MB object on loopback (explicit: run on demand, prints the figures).</summary>
[Category("Server")]
[TestFixture, Explicit("benchmark"), NonParallelizable]
public class SwiftThroughputTests
{
    private const int Size = 200 * 1000 * 1000;

    [TestCase(0)]
    [TestCase(50 * 1000 * 1000)]
    public async Task TwoHundredMegabytes(long segmentSize)
    {
        var servers = await SwiftTestServers.GetAsync();
        var path = Path.Combine(Path.GetTempPath(), "swift-bench-" + Guid.NewGuid().ToString("N"));
        var data = new byte[Size];
        new Random(1).NextBytes(data);
        await File.WriteAllBytesAsync(path, data);
        try
        {
            await using var backend = SwiftBackend.Open(BackendUrl.Parse($"swift://bench{Guid.NewGuid():N}"),
                new BackendOpenOptions { Environment = servers.V1Environment() },
                new SwiftBackendOptions { SegmentSize = segmentSize, RequestTimeout = TimeSpan.FromMinutes(2) });
            await backend.PutAsync("warm", new MemoryStream([1]));

            var up = Stopwatch.StartNew();
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true))
                await backend.PutAsync("big", file);
            up.Stop();

            var down = Stopwatch.StartNew();
            long total = 0;
            var buffer = new byte[1 << 20];
            await using (var stream = await backend.GetAsync("big"))
            {
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                    total += read;
            }
            down.Stop();

            Assert.That(total, Is.EqualTo(Size));
            TestContext.Progress.WriteLine($"segment size {segmentSize}: upload {Size / up.Elapsed.TotalSeconds / 1e6:F1} MB/s ({up.Elapsed.TotalSeconds:F1} s), " +
                $"download {Size / down.Elapsed.TotalSeconds / 1e6:F1} MB/s ({down.Elapsed.TotalSeconds:F1} s)");
            await backend.DeleteAsync(["big", "warm"]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
