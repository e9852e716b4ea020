using System.Diagnostics;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Ftp;

/// <summary>
/// Upload/download speed of one 200 MB file on loopback, ours next to lftp (the client duplicity runs) on the same
/// vsftpd (explicit: run on demand, prints the figures).
/// </summary>
[Category("Server")]
[TestFixture, Explicit("benchmark"), NonParallelizable]
public class FtpThroughputTests
{
    private const int Size = 200 * 1000 * 1000;

    [TestCase("plain")]
    [TestCase("explicit")]
    public async Task TwoHundredMegabytesNextToLftp(string mode)
    {
        var server = await FtpTestServer.GetAsync(mode);
        using var tmp = new TempFolder();
        var path = Path.Combine(tmp.Path, "big");
        var data = new byte[Size];
        new Random(1).NextBytes(data);
        await File.WriteAllBytesAsync(path, data);
        var folder = $"bench{Guid.NewGuid():N}";

        await using var backend = server.Open(folder);
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

        var settings = mode == "plain" ? "set ftp:ssl-allow false" : $"set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:ca-file {server.CaFile}";
        var open = $"{settings}; open -u {server.User},{FtpTestServer.Password} ftp://127.0.0.1:{server.Port}; cd {folder}";
        var lftpUp = Stopwatch.StartNew();
        (await ExternalTool.RunAsync("lftp", ["-c", $"{open}; put {path} -o lftp-big"], timeout: TimeSpan.FromMinutes(5))).EnsureSuccess();
        lftpUp.Stop();
        var lftpDown = Stopwatch.StartNew();
        (await ExternalTool.RunAsync("lftp", ["-c", $"{open}; get lftp-big -o {tmp.Path}/back"], timeout: TimeSpan.FromMinutes(5))).EnsureSuccess();
        lftpDown.Stop();
        Assert.That(new FileInfo(Path.Combine(tmp.Path, "back")).Length, Is.EqualTo(Size));

        static string Rate(TimeSpan t) => $"{Size / t.TotalSeconds / 1e6:F0} MB/s ({t.TotalSeconds:F2} s)";
        TestContext.Progress.WriteLine($"{mode}: ours upload {Rate(up.Elapsed)}, download {Rate(down.Elapsed)}; " +
            $"lftp upload {Rate(lftpUp.Elapsed)}, download {Rate(lftpDown.Elapsed)} (lftp times include its login)");
        await backend.DeleteAsync(["big", "warm", "lftp-big"]);
    }
}
