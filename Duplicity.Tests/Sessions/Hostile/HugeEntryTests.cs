using System.Diagnostics;
using System.IO.Hashing;
using Duplicity.Backends;
using Duplicity.Tests.Support;
using static Duplicity.Tests.Sessions.Hostile.CraftedArchive;

namespace Duplicity.Tests.Sessions.Hostile;

/// <summary>Entries over 4 GiB restore whole: no size is ever cut to 32 bits, memory stays flat.</summary>
[Category("Fault")]
public class HugeEntryTests
{
    /// <summary>Serves the volume from a generator instead of memory; the manifest and listing come from the inner backend.</summary>
    private sealed class SyntheticVolumeBackend(InMemoryBackend inner, string volumeName, Func<Stream> volume) : DelegatingBackend(inner)
    {
        public override Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default) =>
            name == volumeName ? Task.FromResult(volume()) : base.GetAsync(name, cancellationToken);
    }

    [Test]
    [CancelAfter(600_000)]
    public async Task AFileOver4GiBRestoresWithItsExactLengthAndContent()
    {
        const long length = (4L << 30) + 4097; // over 4 GiB and not a whole number of tar blocks
        using var tmp = new TempFolder();
        var inner = await BackendWithAsync([], encrypted: false, withHash: false, suffix: "");
        var backend = new SyntheticVolumeBackend(inner, Stamp + ".vol1.difftar", () => new SyntheticTarVolume("huge.bin", length));

        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var result = await RestoreAsync(backend, tmp);
        TestContext.Out.WriteLine($"restored {result.BytesRestored} bytes in {clock.ElapsedMilliseconds} ms, " +
            $"{(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) >> 20} MiB allocated");
        Assert.That(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore, Is.LessThan(256L << 20), "buffers are reused, never sized by the entry");
        Assert.That(result.BytesRestored, Is.EqualTo(length));

        var restored = Path.Combine(tmp.Sub("target"), "huge.bin");
        Assert.That(new FileInfo(restored).Length, Is.EqualTo(length));
        var du = await ExternalTool.RunAsync(ExternalTool.Require("du"), ["--block-size=1", restored]);
        TestContext.Out.WriteLine($"disk usage of the restored file: {du.StandardOutput.Trim()}");
        // The generator's bytes and the restored file's, hashed side by side on two cores.
        var expected = Task.Run(() =>
        {
            using var source = new SyntheticTarVolume("huge.bin", length);
            source.Position = source.DataStart;
            return HashOf(new BoundedStream(source, length));
        });
        var actual = Task.Run(() =>
        {
            using var file = System.IO.File.OpenRead(restored);
            return HashOf(file);
        });
        Assert.That(await actual, Is.EqualTo(await expected));
        System.IO.File.Delete(restored); // 4 GiB: free the disk before the next test
    }

    /// <summary>XXH128 (a fast non-cryptographic hash: 4 GiB twice must stay quick) read in 1 MiB pieces.</summary>
    private static byte[] HashOf(Stream stream)
    {
        var hash = new XxHash128();
        var buffer = new byte[1 << 20];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0) hash.Append(buffer.AsSpan(0, n));
        return hash.GetCurrentHash();
    }

    /// <summary>The first <paramref name="length"/> bytes of a stream.</summary>
    private sealed class BoundedStream(Stream inner, long length) : Duplicity.IO.ReadOnlyStream
    {
        private long _left = length;
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, (int)Math.Min(count, _left));
            _left -= n;
            return n;
        }
    }
}
