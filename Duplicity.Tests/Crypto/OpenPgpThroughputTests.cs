using System.Diagnostics;
using Duplicity.Crypto;

namespace Duplicity.Tests.Crypto;

[Category("Unit")]
[NonParallelizable]
public class OpenPgpThroughputTests
{
    [Test, Explicit("throughput measurement; run on an idle machine")]
    public async Task Uncompressed_encryption_throughput()
    {
        var encryptor = await OpenPgpEncryptor.CreateAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource("speed")).WithCompression(false));
        var chunk = new byte[1 << 20];
        new Random(3).NextBytes(chunk);
        const int megabytes = 1024;
        using (var warm = encryptor.OpenWrite(Stream.Null)) warm.Write(chunk);
        var clock = Stopwatch.StartNew();
        using (var w = encryptor.OpenWrite(Stream.Null))
            for (var i = 0; i < megabytes; i++) w.Write(chunk);
        var rate = megabytes / clock.Elapsed.TotalSeconds;
        TestContext.Out.WriteLine($"encrypt (no compression): {rate:F0} MB/s");
        Assert.That(rate, Is.GreaterThan(150));
    }

    /// <summary>256 MiB, alternating 1 MiB of random bytes and 1 MiB of text-like words (half and half).</summary>
    private static byte[] MixedData(int megabytes)
    {
        var data = new byte[megabytes << 20];
        var rnd = new Random(11);
        string[] words = ["backup ", "volume ", "signature ", "the ", "delta ", "manifest ", "archive ", "of ", "duplicity\n", "2026 ", "file "];
        for (var m = 0; m < megabytes; m++)
        {
            var block = data.AsSpan(m << 20, 1 << 20);
            if (m % 2 == 0) { rnd.NextBytes(block); continue; }
            var at = 0;
            while (at < block.Length)
            {
                var w = words[rnd.Next(words.Length)];
                for (var i = 0; i < w.Length && at < block.Length; i++) block[at++] = (byte)w[i];
            }
        }
        return data;
    }

    [Test, Explicit("throughput measurement; run on an idle machine")]
    public async Task Compressed_encrypt_and_decrypt_throughput_on_mixed_data()
    {
        const int megabytes = 256;
        var data = MixedData(megabytes);
        var gzClock = Stopwatch.StartNew();
        await using (var gz = new Duplicity.Archive.Volumes.ParallelGzipStream(Stream.Null))
            for (var i = 0; i < data.Length; i += 1 << 16) await gz.WriteAsync(data.AsMemory(i, 1 << 16));
        TestContext.Out.WriteLine($"parallel gzip alone: {megabytes / gzClock.Elapsed.TotalSeconds:F0} MB/s");
        var encryptor = await OpenPgpEncryptor.CreateAsync(EncryptionOptions.Passphrase(new FixedPassphraseSource("speed")));
        using var message = new MemoryStream();
        var clock = Stopwatch.StartNew();
        await using (var w = encryptor.OpenWrite(message))
            for (var i = 0; i < data.Length; i += 1 << 16) await w.WriteAsync(data.AsMemory(i, 1 << 16));
        var encrypt = clock.Elapsed.TotalSeconds;

        message.Position = 0;
        clock.Restart();
        var read = await OpenPgpDecryptor.OpenReadAsync(message, new DecryptionOptions { PassphraseSource = new FixedPassphraseSource("speed") });
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = await read.ReadAsync(buffer)) > 0) total += n;
        var decrypt = clock.Elapsed.TotalSeconds;
        TestContext.Out.WriteLine($"compress+encrypt: {megabytes / encrypt:F0} MB/s ({encrypt:F2} s, {message.Length >> 20} MiB out); decrypt+inflate: {megabytes / decrypt:F0} MB/s ({decrypt:F2} s)");
        Assert.That(total, Is.EqualTo(data.Length));
        Assert.That(read.IsIntegrityProtected, Is.True);
    }
}
