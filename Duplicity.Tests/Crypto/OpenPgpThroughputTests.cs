using System.Diagnostics;
using Duplicity.Crypto;

namespace Duplicity.Tests.Crypto;

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
}
