using System.Diagnostics;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.WebDav;

/// <summary>
/// Upload/download speed of one 200 MB file on loopback against Apache, next to curl doing the same PUT/GET
/// (explicit: run on demand, prints the figures).
/// </summary>
[Category("Server")]
[TestFixture, Explicit("benchmark"), NonParallelizable]
public class WebDavThroughputTests
{
    private const int Size = 200 * 1000 * 1000;

    [TestCase(false)]
    [TestCase(true)]
    public async Task TwoHundredMegabytes(bool secure)
    {
        var server = await WebDavTestServer.GetAsync();
        var curl = ExternalTool.Require("curl");
        var path = Path.Combine(Path.GetTempPath(), "webdav-bench-" + Guid.NewGuid().ToString("N"));
        var data = new byte[Size];
        new Random(1).NextBytes(data);
        await File.WriteAllBytesAsync(path, data);
        try
        {
            var folder = WebDavTestServer.FreshPath();
            await using var backend = server.Open(folder, secure);
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

            var baseUrl = secure ? $"https://127.0.0.1:{server.HttpsPort}" : $"http://127.0.0.1:{server.Port}";
            string[] common = ["-s", "-f", "-u", $"{WebDavTestServer.User}:{WebDavTestServer.Password}", "--cacert", server.CaFile];
            var curlUp = Stopwatch.StartNew();
            (await ExternalTool.RunAsync(curl, [.. common, "-T", path, $"{baseUrl}{folder}/curl-big"], null, timeout: TimeSpan.FromMinutes(5))).EnsureSuccess();
            curlUp.Stop();
            var curlDown = Stopwatch.StartNew();
            (await ExternalTool.RunAsync(curl, [.. common, "-o", "/dev/null", $"{baseUrl}{folder}/curl-big"], null, timeout: TimeSpan.FromMinutes(5))).EnsureSuccess();
            curlDown.Stop();

            TestContext.Progress.WriteLine($"{(secure ? "webdavs" : "webdav")}: ours upload {Size / up.Elapsed.TotalSeconds / 1e6:F1} MB/s, download {Size / down.Elapsed.TotalSeconds / 1e6:F1} MB/s; " +
                $"curl upload {Size / curlUp.Elapsed.TotalSeconds / 1e6:F1} MB/s, download {Size / curlDown.Elapsed.TotalSeconds / 1e6:F1} MB/s");
            await backend.DeleteAsync(["big", "warm", "curl-big"]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
