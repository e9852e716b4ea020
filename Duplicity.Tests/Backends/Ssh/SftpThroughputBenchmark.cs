using System.Diagnostics;
using Duplicity.Backends;
using Duplicity.Backends.Ssh;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Ssh;

/// <summary>
/// Upload and download throughput of a 200 MB file over loopback: SftpBackend against OpenSSH's sftp
/// client on the same server. Run explicitly:
/// dotnet test Duplicity.Tests -c Release --filter "FullyQualifiedName~SftpThroughputBenchmark" --logger "console;verbosity=detailed"
/// </summary>
[Category("Server")]
[TestFixture]
[Explicit("benchmark: takes a minute and moves 800 MB over loopback")]
[NonParallelizable]
public class SftpThroughputBenchmark
{
    private const int Size = 200 * 1024 * 1024;

    [Test]
    public async Task UploadAndDownloadAtLeastHalfAsFastAsOpenSsh()
    {
        var sftp = ExternalTool.Require("sftp");
        await using var server = await SshServerFixture.StartAsync("key", "dupsshbench");
        using var tmp = new TempFolder();
        var file = tmp.Sub("payload.bin");
        var data = new byte[Size];
        new Random(42).NextBytes(data);
        await File.WriteAllBytesAsync(file, data);
        data = null;

        await using var backend = SftpBackend.Open(BackendUrl.Parse(server.Url("bench")), server.OpenOptions(), server.Options(server.KeyEd25519));
        await backend.ConnectAsync();

        double ourUp = double.MaxValue, ourDown = double.MaxValue, sshUp = double.MaxValue, sshDown = double.MaxValue;
        for (var round = 0; round < 2; round++)
        {
            var watch = Stopwatch.StartNew();
            await using (var source = File.OpenRead(file))
                await backend.PutAsync("payload.bin", source);
            ourUp = Math.Min(ourUp, watch.Elapsed.TotalSeconds);

            watch.Restart();
            await using (var remote = await backend.GetAsync("payload.bin"))
            await using (var target = File.Create(tmp.Sub("ours.bin")))
                await remote.CopyToAsync(target, 1024 * 1024);
            ourDown = Math.Min(ourDown, watch.Elapsed.TotalSeconds);

            var batch = tmp.Sub("batch");
            File.WriteAllText(batch, $"put {file} openssh-payload.bin\n");
            watch.Restart();
            (await RunSftpAsync(sftp, server, batch)).EnsureSuccess();
            sshUp = Math.Min(sshUp, watch.Elapsed.TotalSeconds);

            File.WriteAllText(batch, $"get openssh-payload.bin {tmp.Sub("openssh.bin")}\n");
            watch.Restart();
            (await RunSftpAsync(sftp, server, batch)).EnsureSuccess();
            sshDown = Math.Min(sshDown, watch.Elapsed.TotalSeconds);
        }
        Assert.That(new FileInfo(tmp.Sub("ours.bin")).Length, Is.EqualTo(Size));
        Assert.That(new FileInfo(Path.Combine(server.Home, "bench", "payload.bin")).Length, Is.EqualTo(Size));

        static double MBps(double seconds) => Size / 1e6 / seconds;
        TestContext.Out.WriteLine($"upload:   SftpBackend {MBps(ourUp):F0} MB/s ({ourUp:F2} s), OpenSSH sftp {MBps(sshUp):F0} MB/s ({sshUp:F2} s) -> {sshUp / ourUp:P0}");
        TestContext.Out.WriteLine($"download: SftpBackend {MBps(ourDown):F0} MB/s ({ourDown:F2} s), OpenSSH sftp {MBps(sshDown):F0} MB/s ({sshDown:F2} s) -> {sshDown / ourDown:P0}");
        Assert.That(sshUp / ourUp, Is.GreaterThanOrEqualTo(0.5), "upload below half of OpenSSH");
        Assert.That(sshDown / ourDown, Is.GreaterThanOrEqualTo(0.5), "download below half of OpenSSH");
    }

    // The sftp session includes its own connection set-up (~0.1 s), as a backup run would.
    private static Task<ExternalTool.Result> RunSftpAsync(string sftp, SshServerFixture server, string batch) =>
        ExternalTool.RunAsync(sftp, ["-q", "-b", batch, "-P", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-i", server.KeyEd25519, "-o", "UserKnownHostsFile=" + server.KnownHosts, "-o", "StrictHostKeyChecking=yes",
            "-o", "IdentitiesOnly=yes", $"{server.User}@127.0.0.1"], timeout: TimeSpan.FromMinutes(5));
}
