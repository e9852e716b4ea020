using System.Diagnostics;
using Duplicity.Backends;
using Duplicity.Backends.Rclone;
using Duplicity.Tests.Backends.Ssh;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Rclone;

/// <summary>
/// Upload and download speed through the rclone backend next to plain <c>rclone copyto</c> of the same file
/// (explicit: a measurement, run on demand), on a <c>local</c> remote and on an <c>sftp</c> remote (real sshd).
/// </summary>
[Category("Server")]
[TestFixture, Explicit("measurement")]
[NonParallelizable]
public class RcloneThroughputTests
{
    private const int Megabytes = 200;

    [Test]
    public async Task LocalRemote()
    {
        using var tmp = new TempFolder();
        var config = RcloneConfig.Write(tmp.Sub("config"));
        await MeasureAsync(tmp, config, $"{RcloneConfig.LocalRemote}:{tmp.Sub("store")}", $"rclone://{RcloneConfig.LocalRemote}:/{tmp.Sub("store")}");
    }

    [Test]
    public async Task SftpRemote()
    {
        using var tmp = new TempFolder();
        await using var server = await SshServerFixture.StartAsync("key", "duprclonespeed");
        var config = RcloneConfig.Write(tmp.Sub("config"), server);
        await MeasureAsync(tmp, config, $"{RcloneConfig.SftpRemote}:speed", $"rclone://{RcloneConfig.SftpRemote}:speed");
    }

    private static async Task MeasureAsync(TempFolder tmp, RcloneConfig config, string remote, string url)
    {
        var source = tmp.Sub("big.bin");
        var data = new byte[Megabytes * 1_000_000];
        new Random(1).NextBytes(data);
        await File.WriteAllBytesAsync(source, data);
        var rclone = ExternalTool.Require("rclone");

        var plainUp = Stopwatch.StartNew();
        (await ExternalTool.RunAsync(rclone, ["copyto", "--config", config.Path, source, remote + "/plain.bin"])).EnsureSuccess();
        plainUp.Stop();
        var plainDown = Stopwatch.StartNew();
        (await ExternalTool.RunAsync(rclone, ["copyto", "--config", config.Path, remote + "/plain.bin", tmp.Sub("plain-back.bin")])).EnsureSuccess();
        plainDown.Stop();

        await using var backend = RcloneBackend.Open(BackendUrl.Parse(url), null, config.Options());
        var up = Stopwatch.StartNew();
        await using (var file = File.OpenRead(source))
            await backend.PutAsync("ours.bin", file);
        up.Stop();
        var down = Stopwatch.StartNew();
        long total = 0;
        await using (var stream = await backend.GetAsync("ours.bin"))
        {
            var buffer = new byte[1 << 20];
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0) total += n;
        }
        down.Stop();

        Assert.That(total, Is.EqualTo(data.Length));
        TestContext.Out.WriteLine($"{url}, {Megabytes} MB: backend upload {Megabytes / up.Elapsed.TotalSeconds:F1} MB/s, download {Megabytes / down.Elapsed.TotalSeconds:F1} MB/s; " +
            $"rclone copyto upload {Megabytes / plainUp.Elapsed.TotalSeconds:F1} MB/s, download {Megabytes / plainDown.Elapsed.TotalSeconds:F1} MB/s");
    }
}
